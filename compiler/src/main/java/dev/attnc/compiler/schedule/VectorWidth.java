package dev.attnc.compiler.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
 *   <li>else 512 when the CPU lists AVX-512F in {@code /proc/cpuinfo}, else {@link #FALLBACK_BITS}.</li>
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
            // through the public interface: the species' own class is not accessible
            Object bits = Class.forName("jdk.incubator.vector.VectorSpecies")
                    .getMethod("vectorBitSize")
                    .invoke(species);
            return (Integer) bits;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return fromCpuFlags();
        }
    }

    /**
     * Without the Vector API: 512 when {@code /proc/cpuinfo} lists {@code avx512f} (where the
     * JDK's preferred species is 512 bits by default), else {@link #FALLBACK_BITS}.
     */
    static int fromCpuFlags() {
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("flags")) {
                        return (" " + line + " ").contains(" avx512f ") ? 512 : FALLBACK_BITS;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return FALLBACK_BITS;
    }
}
