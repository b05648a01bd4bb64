package dev.attnc.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every generated kernel of this JVM uses, and the vector {@code exp} of
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

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this, {@code exp} underflows to (sub)normal numbers: we return exactly 0. */
    private static final float EXP_LOW = -87.0f;
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
                throw new IllegalArgumentException("-Dattnc.vector.bits=" + bits
                        + " is not a vector width; use 64, 128, 256 or 512 (or leave it unset for the machine's preferred width)");
        }
    }

    /** E.g. {@code "256-bit vectors (8 floats)"}. */
    public static String describe() {
        return SPECIES.vectorBitSize() + "-bit vectors (" + LANES + " floats)";
    }

    /**
     * {@code e^x} lane by lane for {@code x <= 16} (softmax arguments after a row maximum that
     * may lag a little behind is subtracted): Cephes' {@code expf} range reduction
     * {@code x = k·ln2 + r} and a degree-6 polynomial, relative error below 2e-7;
     * {@code x < -87} (including {@code -∞}) gives exactly 0. Larger arguments are not supported.
     */
    public static FloatVector expNonPositive(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, EXP_LOW);
        FloatVector xc = x.max(EXP_LOW);
        // k = round(x·log2e) by the 1.5·2^23 trick: adding it leaves k in the low mantissa
        // bits, so no float-int conversion is needed (JDK 17 does not compile those to SIMD).
        FloatVector z = xc.mul(LOG2E).add(ROUND);
        FloatVector kf = z.sub(ROUND);
        IntVector k = z.reinterpretAsInts();
        FloatVector r = xc.sub(kf.mul(LN2_HI)).sub(kf.mul(LN2_LO));
        FloatVector p = FloatVector.broadcast(SPECIES, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 5.0000001201e-1f));
        FloatVector rr = r.mul(r);
        FloatVector e = p.fma(rr, r).add(1.0f);
        FloatVector scale = k.add(127 - ROUND_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return e.mul(scale).blend(0.0f, tiny);
    }

    /** The scalar twin of {@link #expNonPositive(FloatVector)}, for tails; same results. */
    public static float expNonPositive(float x) {
        if (x < EXP_LOW) {
            return 0.0f;
        }
        float z = x * LOG2E + ROUND;
        float kf = z - ROUND;
        int k = Float.floatToRawIntBits(z) - ROUND_BITS;
        float r = x - kf * LN2_HI - kf * LN2_LO;
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float e = Math.fma(p, r * r, r) + 1.0f;
        return e * Float.intBitsToFloat((k + 127) << 23);
    }
}
