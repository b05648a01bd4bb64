package dev.attnc.runtime.weights;

/**
 * bfloat16 (safetensors {@code BF16}: the top half of a float's bits) to and from {@code float}.
 * Widening is exact. Narrowing rounds to nearest, ties to even, as PyTorch does: a float at or
 * above the largest bfloat16 plus half an ulp becomes infinity, subnormals round like the rest, and
 * a NaN stays a quiet NaN keeping its top payload bits.
 */
public final class BFloat16 {

    private BFloat16() {}

    /** The float equal to the bfloat16 value with these bits (the low 16 bits of {@code bits}). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The bfloat16 bits nearest to {@code f}, ties to even. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) { // NaN: keep the top payload bits, force the quiet bit.
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) (Float16.roundNearestEven(bits >>> 16, bits & 0xffff, 0x8000));
    }
}
