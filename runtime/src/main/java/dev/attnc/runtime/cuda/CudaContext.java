package dev.attnc.runtime.cuda;

import jcuda.driver.CUcontext;

/**
 * The process's CUDA context: the primary context of device 0, retained once by
 * {@link CudaDriver#context()} and kept for the life of the process. Instances exist only when
 * the driver initialised, so holding one proves that a device is there.
 *
 * <p>The driver API binds a context to a thread: {@link CudaDriver#context()} makes it current
 * on the calling thread each time, and every operation of this package goes through it.
 */
public final class CudaContext {

    private final CUcontext handle;
    private final String deviceName;
    private final int major;
    private final int minor;
    private final long totalMemory;

    CudaContext(CUcontext handle, String deviceName, int major, int minor, long totalMemory) {
        this.handle = handle;
        this.deviceName = deviceName;
        this.major = major;
        this.minor = minor;
        this.totalMemory = totalMemory;
    }

    CUcontext handle() {
        return handle;
    }

    /** The device's name as the driver reports it, e.g. {@code NVIDIA A100-SXM4-40GB}. */
    public String deviceName() {
        return deviceName;
    }

    /** Compute capability, e.g. {@code 8.0} → {@code 80}. */
    public int computeCapability() {
        return major * 10 + minor;
    }

    /** Device memory in bytes. */
    public long totalMemory() {
        return totalMemory;
    }

    /** Waits until every kernel and copy issued in this context has finished. */
    public void synchronize() {
        CudaDriver.context();
        CudaDriver.Api.synchronize();
    }

    @Override
    public String toString() {
        return deviceName + " (sm_" + computeCapability() + ", " + (totalMemory >> 20) + " MiB)";
    }
}
