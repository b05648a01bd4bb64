package dev.attnc.runtime.cuda;

import jcuda.driver.CUevent;

/**
 * GPU time of the work enqueued on the default stream between {@link #start()} and
 * {@link #stop()}, measured by the device with two CUDA events ({@code cuEventRecord},
 * {@code cuEventSynchronize}, {@code cuEventElapsedTime}): host overheads that do not delay the
 * stream are not counted, and the host waits only in {@link #stop()}.
 *
 * <pre>
 * try (CudaEventTimer t = CudaEventTimer.create(); PreparedLaunch call = kernel.prepare(in, out)) {
 *     t.start();
 *     call.enqueue();
 *     float ms = t.stop();
 * }
 * </pre>
 *
 * <p>Guarantees: {@link #create()} throws {@link CudaUnavailableException} without a device;
 * {@link #stop()} returns when everything enqueued before it has finished and reports a failed
 * kernel as an {@link IllegalStateException}; {@link #close()} destroys both events once.
 * Not thread-safe: one owner at a time.
 */
public final class CudaEventTimer implements AutoCloseable {

    private CUevent start;
    private CUevent end;
    private boolean started;

    private CudaEventTimer(CUevent start, CUevent end) {
        this.start = start;
        this.end = end;
    }

    /** Two new events in the process's context. */
    public static CudaEventTimer create() {
        CudaDriver.context();
        CUevent a = CudaDriver.Api.eventCreate();
        try {
            return new CudaEventTimer(a, CudaDriver.Api.eventCreate());
        } catch (RuntimeException e) {
            CudaDriver.Api.eventDestroy(a);
            throw e;
        }
    }

    /** Records the start event on the default stream. */
    public void start() {
        checkOpen();
        CudaDriver.context();
        CudaDriver.Api.eventRecord(start);
        started = true;
    }

    /**
     * Records the end event, waits for it and returns the milliseconds since {@link #start()}.
     *
     * @throws IllegalStateException without a preceding {@code start()}, or when enqueued work failed
     */
    public float stop() {
        checkOpen();
        if (!started) {
            throw new IllegalStateException("CudaEventTimer.stop() without start()");
        }
        started = false;
        CudaDriver.context();
        CudaDriver.Api.eventRecord(end);
        CudaDriver.Api.eventSynchronize(end, "the work timed since start()");
        return CudaDriver.Api.eventElapsed(start, end);
    }

    private void checkOpen() {
        if (start == null) {
            throw new IllegalStateException("CudaEventTimer is closed");
        }
    }

    @Override
    public void close() {
        if (start == null) {
            return;
        }
        CUevent a = start;
        CUevent b = end;
        start = null;
        end = null;
        CudaDriver.context();
        try {
            CudaDriver.Api.eventDestroy(a);
        } finally {
            CudaDriver.Api.eventDestroy(b);
        }
    }
}
