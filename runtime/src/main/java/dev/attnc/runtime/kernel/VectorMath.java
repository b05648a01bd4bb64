package dev.attnc.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every generated kernel of this JVM uses, and the vector {@code 2^x} of
 * the online softmax.
 *
 * <p>The species is chosen once, into a {@code static final} field (the Vector API compiles
 * to SIMD instructions only when the species is a constant): {@link FloatVector#SPECIES_PREFERRED}
 * (256 bits on AVX2 machines), or the width forced by the system property
 * {@code -Dattnc.vector.bits=64|128|256|512}, which tests use to run every width against the
 * reference. The choice is reported once by {@link #describe()}.
 */
public final class VectorMath {

    /** The species of every kernel in this JVM. */
    public static final VectorSpecies<Float> SPECIES = chooseSpecies(System.getProperty("attnc.vector.bits"));

    /** Lanes of {@link #SPECIES}. */
    public static final int LANES = SPECIES.length();

    /** {@code log2(e)}: kernels scale scores by it and use {@link #exp2}. */
    public static final float LOG2E = 1.44269504088896341f;
    /** The smallest normal power of two. */
    private static final float EXP2_LOW = -126f;
    // ln2^k / k!: the Taylor coefficients of 2^f.
    private static final float C1 = 0.6931471806f;
    private static final float C2 = 0.2402265070f;
    private static final float C3 = 0.0555041087f;
    private static final float C4 = 0.0096181291f;
    private static final float C5 = 0.0013333558f;
    private static final float ROUND = 12582912.0f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private VectorMath() {}

    static VectorSpecies<Float> chooseSpecies(String bits) {
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        switch (bits.trim()) {
            case "64":
                return FloatVector.SPECIES_64;
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalArgumentException(
                        "-Dattnc.vector.bits=" + bits
                                + " is not a vector width; use 64, 128, 256 or 512 (or leave it unset for the machine's preferred width)");
        }
    }

    /** E.g. {@code "256-bit vectors (8 floats)"}. */
    public static String describe() {
        return SPECIES.vectorBitSize() + "-bit vectors (" + LANES + " floats)";
    }

    /**
     * {@code 2^x} lane by lane for {@code x <= 16} (softmax arguments in log2 units after a row
     * maximum that may lag a little behind is subtracted): {@code x = k + f} with {@code k}
     * rounded by the {@code 1.5·2^23} trick (no float-int conversion, which JDK 17 does not
     * compile to SIMD), {@code |f| <= 1/2}, and the degree-5 Taylor polynomial of {@code 2^f};
     * relative error below 4e-6. Arguments below {@code -126} (including {@code -∞}) give
     * {@code 2^-126} ≈ 1.2e-38 rather than 0: in a softmax that weight is nothing next to the
     * row's maximum, whose weight is at least 1, and it saves the test and the blend.
     *
     * <p>Works on vectors of any species (the result has {@code x}'s): generated micro-kernels
     * call it with their own constant species, and it inlines into them.
     */
    public static FloatVector exp2(FloatVector x) {
        FloatVector xc = x.max(EXP2_LOW);
        FloatVector z = xc.add(ROUND);
        FloatVector f = xc.sub(z.sub(ROUND));
        FloatVector p = x.broadcast(C5);
        p = p.fma(f, x.broadcast(C4));
        p = p.fma(f, x.broadcast(C3));
        p = p.fma(f, x.broadcast(C2));
        p = p.fma(f, x.broadcast(C1));
        p = p.fma(f, x.broadcast(1f));
        FloatVector scale = z.reinterpretAsInts()
                .add(127 - ROUND_BITS)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(scale);
    }

    /** The scalar twin of {@link #exp2(FloatVector)}; the same result. */
    public static float exp2(float x) {
        float xc = Math.max(x, EXP2_LOW);
        float z = xc + ROUND;
        float f = xc - (z - ROUND);
        float p = Math.fma(C5, f, C4);
        p = Math.fma(p, f, C3);
        p = Math.fma(p, f, C2);
        p = Math.fma(p, f, C1);
        p = Math.fma(p, f, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(z) - ROUND_BITS + 127) << 23);
    }
}
