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

    /** Per-thread room for one vector's lanes, for {@link #sum}. */
    private static final ThreadLocal<float[]> LANE_BUFFER = ThreadLocal.withInitial(() -> new float[16]);

    /**
     * The lanes of {@code v} added in lane order, {@code ((v0 + v1) + v2) + …}: the same bits
     * whether the code runs interpreted or compiled. {@code reduceLanes(ADD)} leaves the order
     * open, and it differs between the Vector API's Java fallback and C2's instructions, so the
     * same call gave results 1 ulp apart before and after the JIT compiled it. For reductions
     * once per row, not in inner loops (it stores the vector to a per-thread buffer).
     */
    public static float sum(FloatVector v) {
        float[] b = LANE_BUFFER.get();
        if (b.length < v.length()) {
            b = new float[v.length()];
            LANE_BUFFER.set(b);
        }
        v.intoArray(b, 0);
        float s = 0f;
        for (int j = 0, n = v.length(); j < n; j++) {
            s += b[j];
        }
        return s;
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
        return p.mul(powerOfTwo(z));
    }

    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-6f;
    private static final float EXP_LOW = -87f;
    private static final float EXP_HIGH = 88f;

    /**
     * {@code e^x} lane-wise, to about 1 ulp for {@code -87 <= x <= 88} (below, {@code e^-87} ≈
     * 1.6e-38; above, {@code e^88}): {@code x = n·ln 2 + r} (Cody-Waite, two-part ln 2, FMA),
     * {@code e^r} by its Taylor polynomial of degree 7 on {@code |r| <= ln 2 / 2}, {@code 2^n}
     * into the exponent bits. Built from lane-wise additions, multiplications and FMAs only, so
     * it gives the same bits interpreted and compiled; {@code lanewise(VectorOperators.EXP)} does
     * not (C2 calls a vector math library, the fallback {@code StrictMath}).
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LOW).min(EXP_HIGH);
        FloatVector z = xc.mul(LOG2E).add(ROUND);
        FloatVector n = z.sub(ROUND);
        FloatVector r = n.neg().fma(x.broadcast(LN2_HI), xc);
        r = n.neg().fma(x.broadcast(LN2_LO), r);
        FloatVector p = x.broadcast(1f / 5040f);
        p = p.fma(r, x.broadcast(1f / 720f));
        p = p.fma(r, x.broadcast(1f / 120f));
        p = p.fma(r, x.broadcast(1f / 24f));
        p = p.fma(r, x.broadcast(1f / 6f));
        p = p.fma(r, x.broadcast(0.5f));
        p = p.fma(r, x.broadcast(1f));
        p = p.fma(r, x.broadcast(1f));
        return p.mul(powerOfTwo(z));
    }

    /**
     * {@code tanh x} lane-wise from {@link #exp}: {@code sign(x)·(1 − t)/(1 + t)},
     * {@code t = e^{−2|x|}}; absolute error about 1e-7; the same bits interpreted and compiled.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector t = exp(x.abs().mul(-2f));
        FloatVector y = t.neg().add(1f).div(t.add(1f));
        return y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
    }

    /**
     * {@code 2^n} for {@code z = n + 1.5·2²³} (an integer {@code n} rounded into the mantissa by
     * the {@code ROUND} trick, {@code -126 <= n <= 127}): {@code n + 127} shifted into the
     * exponent bits. Shared by {@link #exp2(FloatVector)} and {@link #exp(FloatVector)}.
     */
    private static FloatVector powerOfTwo(FloatVector z) {
        return z.reinterpretAsInts()
                .add(127 - ROUND_BITS)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
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
