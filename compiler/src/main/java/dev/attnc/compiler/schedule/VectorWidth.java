package dev.attnc.compiler.schedule;

/**
 * The vector width a kernel built in this JVM defaults to: what the runtime's kernels would use
 * here ({@code dev.attnc.runtime.kernel.VectorMath.SPECIES}), so that the test suites' runs at a
 * forced width compile kernels at that width too.
 *
 * <ol>
 *   <li>{@code -Dattnc.vector.bits=64|128|256|512} when set (an unknown value is ignored here:
 *       the runtime refuses it with a message);</li>
 *   <li>else the Vector API's preferred species, read reflectively when the
 *       {@code jdk.incubator.vector} module is in this JVM (this package may not depend on it:
 *       the Maven plugin runs the compiler in Maven's JVM, usually without the module);</li>
 *   <li>else {@link #FALLBACK_BITS}.</li>
 * </ol>
 */
public final class VectorWidth {

    /** The width assumed when this JVM cannot tell: AVX2's, the commonest x86 width. */
    public static final int FALLBACK_BITS = 256;

    private VectorWidth() {}

    /** This JVM's default vector width in bits, by the rules above. */
    public static int machine() {
        String forced = System.getProperty("attnc.vector.bits");
        if (forced != null) {
            switch (forced.trim()) {
                case "64":
                case "128":
                case "256":
                case "512":
                    return Integer.parseInt(forced.trim());
                default:
                    break;
            }
        }
        return preferred();
    }

    /** The Vector API's preferred float width in this JVM, or {@link #FALLBACK_BITS} without the module. */
    public static int preferred() {
        try {
            Class<?> floatVector = Class.forName("jdk.incubator.vector.FloatVector");
            Object species = floatVector.getField("SPECIES_PREFERRED").get(null);
            Object bits = species.getClass().getMethod("vectorBitSize").invoke(species);
            return (Integer) bits;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return FALLBACK_BITS;
        }
    }
}
