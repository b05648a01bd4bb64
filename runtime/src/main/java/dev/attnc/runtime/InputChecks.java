package dev.attnc.runtime;

/**
 * The size checks {@link AttentionInputs} and {@link AdditiveInputs} share, with their
 * messages: each names the argument, the expected shape and what was given.
 */
final class InputChecks {

    private InputChecks() {}

    /**
     * {@code a}, checked to hold {@code size} floats ({@code shape} says which); null when it
     * is null and not {@code required}.
     */
    static float[] floats(String name, float[] a, int size, String shape, boolean required) {
        if (a == null) {
            if (required) {
                throw new IllegalArgumentException(name + " is missing: expected float " + shape);
            }
            return null;
        }
        if (a.length != size) {
            throw new IllegalArgumentException(
                    name + ": expected float " + shape + " (" + size + " floats), got " + a.length + " floats");
        }
        return a;
    }

    /** {@code m} (may be null), checked to hold one value per token, {@code [B, L]}. */
    static boolean[] tokenMask(String name, boolean[] m, AttentionShape shape) {
        if (m != null && m.length != shape.batch() * shape.length()) {
            throw new IllegalArgumentException(name + ": expected boolean [" + shape.batch() + ", " + shape.length()
                    + "] (" + shape.batch() * shape.length() + " values), got " + m.length + " values");
        }
        return m;
    }

    /** Checks that {@code out} holds {@code size} floats ({@code shape} says which). */
    static void output(float[] out, int size, String shape) {
        if (out == null || out.length != size) {
            throw new IllegalArgumentException("out: expected float " + shape + " (" + size + " floats), got "
                    + (out == null ? "null" : out.length + " floats"));
        }
    }
}
