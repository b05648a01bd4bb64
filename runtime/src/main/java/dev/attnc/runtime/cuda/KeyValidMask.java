package dev.attnc.runtime.cuda;

/**
 * The {@code key_valid} argument of the generated CUDA kernels, softmax and additive alike:
 * {@code unsigned char [B, n]}, 1 for a real token, 0 for padding. The kernels take a null
 * pointer for "no padding".
 */
public final class KeyValidMask {

    /** Whether token {@code i} of batch item {@code b} is real. */
    @FunctionalInterface
    public interface Validity {
        boolean isValid(int b, int i);
    }

    private KeyValidMask() {}

    /** The mask, row-major {@code [batch, length]}. */
    public static byte[] bytes(int batch, int length, Validity valid) {
        byte[] m = new byte[batch * length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < length; i++) {
                m[b * length + i] = (byte) (valid.isValid(b, i) ? 1 : 0);
            }
        }
        return m;
    }

    /** As {@link #bytes}, or null when every token is valid (pass a null pointer then). */
    public static byte[] bytesOrNull(int batch, int length, Validity valid) {
        byte[] m = bytes(batch, length, valid);
        for (byte x : m) {
            if (x == 0) {
                return m;
            }
        }
        return null;
    }
}
