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

    private DeviceCall() {}

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

    private void closeAll(Throwable pending) {
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
