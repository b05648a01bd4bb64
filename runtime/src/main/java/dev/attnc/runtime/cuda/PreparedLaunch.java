package dev.attnc.runtime.cuda;

import java.util.List;

/**
 * A kernel call set up once and launched as often as needed: the device buffers the call needs
 * besides its inputs (bindings, key-valid mask, scratch and, for {@link CudaAdditiveKernel},
 * the uploaded inputs and the output) are allocated and uploaded when it is made, and
 * {@link #enqueue()} replays the call's launches, with the same arguments, on the default
 * stream. Made by {@link CudaAttentionKernel#prepare} and {@link CudaAdditiveKernel#prepare};
 * meant for timing with {@link CudaEventTimer}, where uploads must not be in the measurement.
 *
 * <p>Guarantees: every launch is the one {@code compute} would make for the same inputs;
 * {@link #close()} frees the buffers it owns once (not the caller's {@link DeviceBuffer}s) and
 * waits for enqueued work first; use after close throws {@link IllegalStateException}. Not
 * thread-safe.
 */
public final class PreparedLaunch implements AutoCloseable {

    /** One recorded launch. */
    record Launch(CudaFunction function, LaunchConfig config, Object[] args) {}

    private final DeviceCall call;
    private final List<Launch> launches;
    private final DeviceBuffer output;
    private boolean closed;

    PreparedLaunch(DeviceCall call, List<Launch> launches, DeviceBuffer output) {
        this.call = call;
        this.launches = List.copyOf(launches);
        this.output = output;
    }

    /** Kernel launches per call (1 for softmax patterns, 5 for additive ones). */
    public int launches() {
        return launches.size();
    }

    /** The buffer the call writes its output to. */
    public DeviceBuffer output() {
        checkOpen();
        return output;
    }

    /** Enqueues the call's launches on the default stream without waiting. */
    public void enqueue() {
        checkOpen();
        for (Launch l : launches) {
            l.function().enqueue(l.config(), l.args());
        }
    }

    /** Runs the call and waits for it: {@link #enqueue()} and a context synchronisation. */
    public void run() {
        enqueue();
        CudaDriver.context().synchronize();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("PreparedLaunch is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CudaDriver.context().synchronize();
        } finally {
            call.closeAll(null);
        }
    }
}
