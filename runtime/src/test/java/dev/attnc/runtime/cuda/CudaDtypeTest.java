package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Conversions against known bit patterns (IEEE 754 binary16 and bfloat16, round to nearest even). */
class CudaDtypeTest {

    private static void half(int bits, float f) {
        assertEquals(
                bits,
                CudaDtype.toHalf(f) & 0xffff,
                () -> "toHalf(" + f + ") = 0x" + Integer.toHexString(CudaDtype.toHalf(f) & 0xffff) + ", expected 0x"
                        + Integer.toHexString(bits));
    }

    private static void bf16(int bits, float f) {
        assertEquals(
                bits,
                CudaDtype.toBfloat16(f) & 0xffff,
                () -> "toBfloat16(" + f + ") = 0x" + Integer.toHexString(CudaDtype.toBfloat16(f) & 0xffff)
                        + ", expected 0x" + Integer.toHexString(bits));
    }

    @Test
    void halfKnownValues() {
        half(0x0000, 0f);
        half(0x8000, -0f);
        half(0x3c00, 1f);
        half(0xc000, -2f);
        half(0x3555, 1f / 3);
        half(0x2e66, 0.1f);
        half(0x7bff, 65504f); // largest finite
        half(0x0400, 0x1p-14f); // smallest normal
        half(0x03ff, 0x1p-14f - 0x1p-24f); // largest subnormal
        half(0x0001, 0x1p-24f); // smallest subnormal
        half(0x7c00, Float.POSITIVE_INFINITY);
        half(0xfc00, Float.NEGATIVE_INFINITY);
        half(0x7c00, 1e6f); // overflow
        half(0xfc00, -Float.MAX_VALUE);
        half(0x0000, Float.MIN_VALUE); // far below half the smallest subnormal
    }

    @Test
    void halfRoundsToNearestEven() {
        half(0x3c00, 1 + 0x1p-11f); // tie between 0x3c00 and 0x3c01: even
        half(0x3c02, 1 + 3 * 0x1p-11f); // tie between 0x3c01 and 0x3c02: even
        half(0x3c01, 1 + 0x1p-11f + 0x1p-20f); // just above the tie
        half(0x7bff, 65519f); // below the tie with infinity
        half(0x7c00, 65520f); // the tie rounds to even = infinity
        half(0x0000, 0x1p-25f); // tie between 0 and the smallest subnormal: even (0)
        half(0x0001, 0x1p-25f + 0x1p-35f); // above it
        half(0x0002, 3 * 0x1p-25f); // tie between 0x0001 and 0x0002: even
        half(0x0400, 0x1p-14f - 0x1p-25f); // tie at the top of the subnormals carries into the exponent
    }

    @Test
    void halfNaNStaysNaN() {
        int h = CudaDtype.toHalf(Float.NaN) & 0xffff;
        assertEquals(0x7c00, h & 0x7c00);
        assertTrue((h & 0x3ff) != 0);
        int neg = CudaDtype.toHalf(Float.intBitsToFloat(0xff800001)) & 0xffff; // negative NaN, payload in low bits
        assertEquals(0xfe00, neg); // sign kept, quiet bit set, payload below half's precision
        assertTrue(Float.isNaN(CudaDtype.fromHalf((short) 0x7e00)));
    }

    @Test
    void halfToFloatIsExact() {
        assertEquals(1f, CudaDtype.fromHalf((short) 0x3c00));
        assertEquals(65504f, CudaDtype.fromHalf((short) 0x7bff));
        assertEquals(0x1p-24f, CudaDtype.fromHalf((short) 0x0001));
        assertEquals(-0x1p-24f * 1023, CudaDtype.fromHalf((short) 0x83ff));
        assertEquals(Float.NEGATIVE_INFINITY, CudaDtype.fromHalf((short) 0xfc00));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(CudaDtype.fromHalf((short) 0x8000)));
        // Every finite half survives a round trip through float.
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0) {
                continue;
            }
            assertEquals(h, CudaDtype.toHalf(CudaDtype.fromHalf((short) h)) & 0xffff, "0x" + Integer.toHexString(h));
        }
    }

    @Test
    void bfloat16KnownValues() {
        bf16(0x3f80, 1f);
        bf16(0xc000, -2f);
        bf16(0x4049, (float) Math.PI); // 0x40490fdb rounds down
        bf16(0x3dcd, 0.1f); // 0x3dcccccd rounds up
        bf16(0x3f80, 1 + 0x1p-8f); // tie: even
        bf16(0x3f82, 1 + 3 * 0x1p-8f); // tie: even
        bf16(0x7f80, Float.MAX_VALUE); // rounds up to infinity
        bf16(0xff80, Float.NEGATIVE_INFINITY);
        bf16(0x0001, Float.intBitsToFloat(0x00010000)); // subnormal kept
        bf16(0x0000, Float.MIN_VALUE); // 0x00000001 rounds to zero
        bf16(0x8000, -0f);
        int nan = CudaDtype.toBfloat16(Float.intBitsToFloat(0x7f800001)) & 0xffff; // payload only in low bits
        assertEquals(0x7fc0, nan); // still NaN (quiet), not infinity
        assertEquals(1f, CudaDtype.fromBfloat16((short) 0x3f80));
        assertEquals(Float.intBitsToFloat(0x40490000), CudaDtype.fromBfloat16((short) 0x4049));
    }

    @Test
    void arraysConvertBothWays() {
        float[] v = {1f, -0.5f, 3f, 1e-3f};
        short[] bits = CudaDtype.F16.toBits(v);
        float[] back = new float[v.length];
        CudaDtype.F16.fromBits(bits, back);
        assertArrayEquals(new float[] {1f, -0.5f, 3f, CudaDtype.fromHalf(CudaDtype.toHalf(1e-3f))}, back);
        CudaDtype.BF16.fromBits(CudaDtype.BF16.toBits(v), back);
        assertEquals(-0.5f, back[1]);
        assertEquals(4, CudaDtype.F32.bytes());
        assertEquals(2, CudaDtype.BF16.bytes());
        assertEquals("__nv_bfloat16", CudaDtype.BF16.cudaType());
    }
}
