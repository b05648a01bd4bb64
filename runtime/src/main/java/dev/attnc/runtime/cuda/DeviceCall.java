package dev.attnc.runtime.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The device buffers one kernel call allocates, freed together when the call ends (also on
 * failure): the upload, download and free plumbing {@link CudaAttentionKernel} and
 * {@link CudaAdditiveKernel} share.
 */
final class DeviceCall {

    private final List<DeviceBuffer> owned = new ArrayList<>();
    /** Null when launches run at once; the recorded launches of a {@link #prepare}d call otherwise. */
    private final List<PreparedLaunch.Launch> recorded;

    private DeviceCall() {
        this(null);
    }

    private DeviceCall(List<PreparedLaunch.Launch> recorded) {
        this.recorded = recorded;
    }

    /**
     * Runs {@code body} in recording mode: its {@link #launch}es are recorded, not run, and the
     * buffers it owns are kept; returns them as a {@link PreparedLaunch} whose output is the
     * buffer {@code body} returns. On failure every owned buffer is freed.
     */
    static PreparedLaunch prepare(java.util.function.Function<DeviceCall, DeviceBuffer> body) {
        DeviceCall call = new DeviceCall(new ArrayList<>());
        try {
            DeviceBuffer out = body.apply(call);
            return new PreparedLaunch(call, call.recorded, out);
        } catch (RuntimeException | Error e) {
            call.closeAll(e);
            throw e;
        }
    }

    /**
     * Launches {@code f} and waits for it, or, in a {@link #prepare}d call, records the launch
     * for {@link PreparedLaunch#enqueue()}.
     */
    void launch(CudaFunction f, LaunchConfig config, Object... args) {
        if (recorded == null) {
            f.launch(config, args);
        } else {
            recorded.add(new PreparedLaunch.Launch(f, config, args.clone()));
        }
    }

    /**
     * Runs {@code body} and frees every buffer it {@linkplain #own owned}; a failure to free is
     * thrown, or added to the body's failure as suppressed when the body failed.
     */
    static void run(Consumer<DeviceCall> body) {
        DeviceCall call = new DeviceCall();
        Throwable failure = null;
        try {
            body.accept(call);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            call.closeAll(failure);
        }
    }

    /** {@code b}, freed when the call ends. */
    DeviceBuffer own(DeviceBuffer b) {
        owned.add(b);
        return b;
    }

    /** {@code data} on the device in {@code dtype} (fp16/bf16 rounded to nearest even), freed when the call ends. */
    DeviceBuffer upload(String name, float[] data, CudaDtype dtype) {
        return own(dtype == CudaDtype.F32 ? DeviceBuffer.of(name, data) : DeviceBuffer.of(name, dtype.toBits(data)));
    }

    /** {@code buffer}, holding {@code out.length} values of {@code dtype}, into {@code out} as floats. */
    static void download(DeviceBuffer buffer, CudaDtype dtype, float[] out) {
        if (dtype == CudaDtype.F32) {
            buffer.download(out);
        } else {
            short[] bits = new short[out.length];
            buffer.download(bits);
            dtype.fromBits(bits, out);
        }
    }

    void closeAll(Throwable pending) {
        RuntimeException first = null;
        for (DeviceBuffer b : owned) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (pending != null) {
                    pending.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
