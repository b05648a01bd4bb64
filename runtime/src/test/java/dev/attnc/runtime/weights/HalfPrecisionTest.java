package dev.attnc.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.weights.HalfReference.Format;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Float16} and {@link BFloat16} against {@link HalfReference} (their definitions in double
 * arithmetic): every one of the 65536 patterns widened exactly, and narrowing checked on every
 * midpoint between neighbouring patterns and its float neighbours, every pattern's own value, the
 * specials, and seeded random floats over all bit patterns and over the normal and subnormal ranges.
 * Tolerance: none, patterns must be equal (NaN: any quiet NaN of the same sign).
 */
class HalfPrecisionTest {

    private static final int RANDOM_FLOATS = 200_000;

    @Test
    void float16WidensEveryPatternExactly() {
        widensExactly(Format.F16, h -> Float16.toFloat((short) h));
    }

    @Test
    void bfloat16WidensEveryPatternExactly() {
        widensExactly(Format.BF16, h -> BFloat16.toFloat((short) h));
    }

    private static void widensExactly(Format format, IntFunction<Float> toFloat) {
        for (int h = 0; h < 0x10000; h++) {
            double expected = format.value(h);
            float actual = toFloat.apply(h);
            String pattern = format + " pattern 0x" + Integer.toHexString(h);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), pattern);
                int bits = Float.floatToRawIntBits(actual);
                assertEquals(h >>> 15, bits >>> 31, pattern + ": NaN sign");
                int payload = h & ((1 << format.mantissaBits) - 1);
                assertEquals(payload, (bits & 0x7fffff) >>> (23 - format.mantissaBits), pattern + ": NaN payload");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), pattern);
            }
        }
    }

    @Test
    void float16KnownPatterns() {
        assertEquals(0x3c00, bits(Float16.fromFloat(1f)));
        assertEquals(0xc000, bits(Float16.fromFloat(-2f)));
        assertEquals(0x7bff, bits(Float16.fromFloat(65504f)), "largest finite");
        assertEquals(0x7bff, bits(Float16.fromFloat(65519.996f)), "just under the overflow threshold");
        assertEquals(0x7c00, bits(Float16.fromFloat(65520f)), "the tie with 2^16 overflows");
        assertEquals(0x0001, bits(Float16.fromFloat(0x1p-24f)), "smallest subnormal");
        assertEquals(0x0000, bits(Float16.fromFloat(0x1p-25f)), "tie between 0 and 2^-24: even zero");
        assertEquals(0x0001, bits(Float16.fromFloat(Math.nextUp(0x1p-25f))));
        assertEquals(0x0002, bits(Float16.fromFloat(0x1.8p-24f)), "tie 1.5 units: to even 2");
        assertEquals(0x03ff, bits(Float16.fromFloat(0x1.ff8p-15f)), "largest subnormal");
        assertEquals(0x0400, bits(Float16.fromFloat(0x1p-14f)), "smallest normal");
        assertEquals(0x0400, bits(Float16.fromFloat(0x1.ffcp-15f)), "subnormal rounding up into the normals");
        assertEquals(0x3554, bits(Float16.fromFloat(0.333f)), "NumPy's float16(0.333)");
        assertEquals(0x3c00, bits(Float16.fromFloat(1 + 0x1p-11f)), "tie at 1 + half an ulp: even 1");
        assertEquals(0x3c02, bits(Float16.fromFloat(1 + 0x3p-11f)), "tie at 1 + 1.5 ulp: even 1+2ulp");
        assertEquals(0x8000, bits(Float16.fromFloat(-0f)));
        assertEquals(0xfc00, bits(Float16.fromFloat(Float.NEGATIVE_INFINITY)));
        assertEquals(0x7e00, bits(Float16.fromFloat(Float.NaN)), "the canonical quiet NaN");
    }

    @Test
    void bfloat16KnownPatterns() {
        assertEquals(0x3f80, bits(BFloat16.fromFloat(1f)));
        assertEquals(0x4049, bits(BFloat16.fromFloat((float) Math.PI)));
        assertEquals(0x3f80, bits(BFloat16.fromFloat(Float.intBitsToFloat(0x3f808000))), "tie: even 0x3f80");
        assertEquals(0x3f82, bits(BFloat16.fromFloat(Float.intBitsToFloat(0x3f818000))), "tie: even 0x3f82");
        assertEquals(0x7f7f, bits(BFloat16.fromFloat(Float.intBitsToFloat(0x7f7f7fff))));
        assertEquals(0x7f80, bits(BFloat16.fromFloat(Float.intBitsToFloat(0x7f7f8000))), "tie with 2^128 overflows");
        assertEquals(0x7f80, bits(BFloat16.fromFloat(Float.MAX_VALUE)));
        assertEquals(0x0001, bits(BFloat16.fromFloat(Float.intBitsToFloat(0x00010000))), "subnormal kept");
        assertEquals(0x0000, bits(BFloat16.fromFloat(Float.MIN_VALUE)), "2^-149 rounds to zero");
        assertEquals(0x8000, bits(BFloat16.fromFloat(-0f)));
        assertEquals(0x7fc0, bits(BFloat16.fromFloat(Float.NaN)));
        assertEquals(0xffc1, bits(BFloat16.fromFloat(Float.intBitsToFloat(0xff810000))), "signalling NaN quieted");
    }

    @Test
    void float16NarrowsLikeTheReference() {
        narrowsLikeTheReference(Format.F16, f -> bits(Float16.fromFloat(f)), -26, 17);
    }

    @Test
    void bfloat16NarrowsLikeTheReference() {
        narrowsLikeTheReference(Format.BF16, f -> bits(BFloat16.fromFloat(f)), -134, 128);
    }

    /** Midpoints and their neighbours, every pattern's value, and random floats (exponents in [lowExp, highExp] for a third of them). */
    private static void narrowsLikeTheReference(Format format, ToIntFunction<Float> narrow, int lowExp, int highExp) {
        for (int h = 0; h < format.infinity; h++) {
            float v = (float) format.value(h); // exact: both formats fit a float
            check(format, narrow, v);
            check(format, narrow, -v);
            double next = h + 1 == format.infinity ? Math.pow(2, 1 << (format.exponentBits - 1)) : format.value(h + 1);
            float mid = (float) ((format.value(h) + next) / 2); // exact: one more mantissa bit
            if (Float.isFinite(mid)) {
                check(format, narrow, mid);
                check(format, narrow, Math.nextUp(mid));
                check(format, narrow, Math.nextDown(mid));
                check(format, narrow, -mid);
            }
        }
        SplittableRandom rnd = new SplittableRandom(20240601L);
        for (int i = 0; i < RANDOM_FLOATS; i++) {
            check(format, narrow, Float.intBitsToFloat(rnd.nextInt()));
            float inRange = (float) (rnd.nextDouble(1, 2) * Math.pow(2, rnd.nextInt(lowExp, highExp + 1)));
            check(format, narrow, rnd.nextBoolean() ? inRange : -inRange);
        }
        for (float f : new float[] {
            0f,
            -0f,
            Float.MIN_VALUE,
            Float.MIN_NORMAL,
            Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY
        }) {
            check(format, narrow, f);
            check(format, narrow, -f);
        }
        for (int nan : new int[] {0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0x7fa00000}) {
            check(format, narrow, Float.intBitsToFloat(nan));
        }
    }

    private static void check(Format format, ToIntFunction<Float> narrow, float f) {
        int actual = narrow.applyAsInt(f);
        if (Float.isNaN(f)) {
            int expSign = Float.floatToRawIntBits(f) < 0 ? 0x8000 : 0;
            assertEquals(expSign, actual & 0x8000, "NaN sign of " + Integer.toHexString(Float.floatToRawIntBits(f)));
            assertEquals(format.infinity, actual & format.infinity, "NaN exponent all ones");
            int quiet = 1 << (format.mantissaBits - 1);
            assertEquals(quiet, actual & quiet, "quiet NaN");
            return;
        }
        int expected = format.nearest(f);
        if (expected != actual) {
            throw new AssertionError(format + " of " + f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f))
                    + "): 0x" + Integer.toHexString(actual) + ", expected 0x" + Integer.toHexString(expected));
        }
    }

    private static int bits(short s) {
        return s & 0xffff;
    }
}
