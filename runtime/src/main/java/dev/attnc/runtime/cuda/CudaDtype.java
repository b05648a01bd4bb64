package dev.attnc.runtime.cuda;

import java.util.Optional;

/**
 * The element type of q, k, v and the output on the device. Host arrays are always
 * {@code float[]}: {@link #F16} and {@link #BF16} tensors are converted to their bits on
 * upload and back to float on download.
 *
 * <p>One enum for the compiler and the runtime: the spec's {@code dtype} setting
 * ({@link #spelling}), the CUDA emitter (the C++ type and the entry suffix) and the JCuda host
 * code that loads the entries ({@link CudaEntries}) all use it.
 *
 * <p>Guarantees: {@link #toHalf} and {@link #toBfloat16} round to nearest, ties to even, as
 * CUDA's {@code __float2half_rn} / {@code __float2bfloat16_rn}: overflow gives ±infinity,
 * values below half of the smallest subnormal give ±0, subnormals are kept, NaN stays a (quiet)
 * NaN with its sign; {@link #fromHalf} and {@link #fromBfloat16} are exact.
 */
public enum CudaDtype {
    /** {@code float}: 4 bytes. */
    F32(4, "float", "f32", "fp32"),
    /** {@code __half} (IEEE binary16): 2 bytes. */
    F16(2, "__half", "f16", "fp16"),
    /** {@code __nv_bfloat16}: 2 bytes, the upper half of a float. */
    BF16(2, "__nv_bfloat16", "bf16", "bf16");

    private final int bytes;
    private final String cudaType;
    private final String suffix;
    private final String spelling;

    CudaDtype(int bytes, String cudaType, String suffix, String spelling) {
        this.bytes = bytes;
        this.cudaType = cudaType;
        this.suffix = suffix;
        this.spelling = spelling;
    }

    /** Bytes per element on the device. */
    public int bytes() {
        return bytes;
    }

    /** The element type's name in CUDA C++. */
    public String cudaType() {
        return cudaType;
    }

    /**
     * The suffix of the generated entries for this type ({@code f32}, {@code f16}, {@code bf16}):
     * see {@link CudaEntries}; also how {@code attnc run --dtype} names it.
     */
    public String suffix() {
        return suffix;
    }

    /** How a spec's {@code dtype} setting names this type ({@code fp32}, {@code fp16}, {@code bf16}). */
    public String spelling() {
        return spelling;
    }

    /** Whether the CUDA engine runs this type's products on tensor cores (the 16-bit types). */
    public boolean tensorCores() {
        return this != F32;
    }

    /** The type a spec's {@code dtype} setting names {@code spelling}, if any. */
    public static Optional<CudaDtype> parse(String spelling) {
        for (CudaDtype d : values()) {
            if (d.spelling.equals(spelling)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The bits of {@code values} in this 16-bit type (not for {@link #F32}). */
    public short[] toBits(float[] values) {
        short[] out = new short[values.length];
        switch (this) {
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    out[i] = toHalf(values[i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < values.length; i++) {
                    out[i] = toBfloat16(values[i]);
                }
            }
            case F32 -> throw new IllegalStateException("F32 has no 16-bit encoding");
        }
        return out;
    }

    /** Writes the float values of {@code bits} (this 16-bit type) into {@code out}. */
    public void fromBits(short[] bits, float[] out) {
        if (bits.length != out.length) {
            throw new IllegalArgumentException("out: expected " + bits.length + " floats, got " + out.length);
        }
        switch (this) {
            case F16 -> {
                for (int i = 0; i < bits.length; i++) {
                    out[i] = fromHalf(bits[i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < bits.length; i++) {
                    out[i] = fromBfloat16(bits[i]);
                }
            }
            case F32 -> throw new IllegalStateException("F32 has no 16-bit encoding");
        }
    }

    /** {@code f} as IEEE binary16 bits, rounded to nearest even. */
    public static short toHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xff;
        int mant = x & 0x7fffff;
        if (exp == 0xff) {
            // Infinity stays infinity; NaN keeps its top payload bits and is made quiet.
            return (short) (sign | 0x7c00 | (mant == 0 ? 0 : 0x200 | mant >>> 13));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // A half subnormal (or zero): units of 2^-24. Below 2^-25 everything rounds to zero.
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int h = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (h & 1) != 0)) {
                h++; // may carry into the smallest normal: still the right bits
            }
            return (short) (sign | h);
        }
        int h = e << 10 | mant >>> 13;
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
            h++; // may carry into the exponent, up to infinity (0x7c00): correct
        }
        return (short) (sign | h);
    }

    /** The float value of IEEE binary16 bits (exact). */
    public static float fromHalf(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | (exp - 15 + 127) << 23 | mant << 13);
    }

    /** {@code f} as bfloat16 bits, rounded to nearest even. */
    public static short toBfloat16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) {
            return (short) ((x >>> 16) | 0x40); // NaN: quiet, sign and top payload kept
        }
        return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }

    /** The float value of bfloat16 bits (exact). */
    public static float fromBfloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
