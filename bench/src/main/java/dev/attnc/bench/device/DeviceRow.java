package dev.attnc.bench.device;

/**
 * One measured point of the device benchmark, with the rates of its median time.
 *
 * @param work  what the call computes and moves
 * @param times the launch times
 */
public record DeviceRow(DeviceWork work, LaunchTimes times) {

    /** TFLOP/s at the median time. */
    public double teraflops() {
        return work.teraflops(times.median());
    }

    /** GB/s at the median time. */
    public double gigabytes() {
        return work.gigabytes(times.median());
    }
}
