package dev.attnc.runtime.weights;

/**
 * IEEE 754 binary16 (safetensors {@code F16}) to and from {@code float}, by hand: Java 17 has no
 * {@code Float.float16ToFloat}. Widening is exact for every pattern (zeros, subnormals, infinities,
 * NaN payloads). Narrowing rounds to nearest, ties to even, as IEEE 754 and NumPy do: magnitudes
 * from 65520 up become infinity, below 2<sup>-25</sup> (and exactly 2<sup>-25</sup>, a tie with
 * even zero) become zero, and a NaN stays a quiet NaN keeping its top payload bits.
 */
public final class Float16 {

    /** Exponent bits of a float minus those of a half: 127 - 15. */
    private static final int REBIAS = 112;

    private Float16() {}

    /** The float equal to the binary16 value with these bits (the low 16 bits of {@code bits}). */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in float (mant has at most 10 bits).
            float m = mant * 0x1p-24f;
            return sign == 0 ? m : -m;
        }
        return Float.intBitsToFloat(sign | ((exp + REBIAS) << 23) | (mant << 13));
    }

    /** The binary16 bits nearest to {@code f}, ties to even. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs > 0x7f800000) { // NaN: keep the top payload bits, force the quiet bit.
            return (short) (sign | 0x7c00 | 0x200 | (abs >>> 13) & 0x3ff);
        }
        if (abs >= 0x477ff000) { // 65520 = 65504 + half an ulp and above, and infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // 2^-14 and above: a normal half.
            int h = (abs >>> 13) - (REBIAS << 10);
            return (short) (sign | roundNearestEven(h, abs & 0x1fff, 0x1000));
        }
        if (abs < 0x33000000) { // below 2^-25, half the smallest subnormal
            return (short) sign;
        }
        // Subnormal half: units of 2^-24. The float is mant * 2^(e - 150), so shift by 126 - e.
        int e = abs >>> 23;
        int mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - e; // 14..24 here
        int q = mant >>> shift;
        int rest = mant & ((1 << shift) - 1);
        // q may round up to 0x400, which is exactly the smallest normal's bit pattern.
        return (short) (sign | roundNearestEven(q, rest, 1 << (shift - 1)));
    }

    /** {@code q}, plus one if the discarded {@code rest} is over {@code half} or equal to it with {@code q} odd. */
    static int roundNearestEven(int q, int rest, int half) {
        return rest > half || (rest == half && (q & 1) != 0) ? q + 1 : q;
    }
}
