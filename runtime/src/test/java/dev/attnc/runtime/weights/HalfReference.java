package dev.attnc.runtime.weights;

/**
 * An independent reference for the 16-bit float formats, by their definitions in double
 * arithmetic: a pattern's value is sign × 2^(e - bias) × (1 + m / 2^mbits) (subnormals
 * m × 2^(1 - bias - mbits)), and rounding a float picks, among all patterns' values, the nearest,
 * ties to the pattern with an even mantissa, the pattern past the largest finite one counting as
 * 2^(emax + 1) (IEEE 754's overflow rule). Nothing here shares code or bit tricks with
 * {@link Float16} or {@link BFloat16}.
 */
final class HalfReference {

    /** A 16-bit format: F16 (5 exponent bits, 10 mantissa bits) or BF16 (8, 7). */
    enum Format {
        F16(5, 10),
        BF16(8, 7);

        final int exponentBits;
        final int mantissaBits;
        final int bias;
        /** Bit pattern of +infinity: also the number of non-negative finite patterns. */
        final int infinity;

        Format(int exponentBits, int mantissaBits) {
            this.exponentBits = exponentBits;
            this.mantissaBits = mantissaBits;
            this.bias = (1 << (exponentBits - 1)) - 1;
            this.infinity = ((1 << exponentBits) - 1) << mantissaBits;
        }

        /** The value of a pattern as a double: exact (both formats fit a double). */
        double value(int bits) {
            int sign = (bits >> 15) & 1;
            int e = (bits >> mantissaBits) & ((1 << exponentBits) - 1);
            int m = bits & ((1 << mantissaBits) - 1);
            double magnitude;
            if (e == (1 << exponentBits) - 1) {
                magnitude = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            } else if (e == 0) {
                magnitude = m * Math.pow(2, 1 - bias - mantissaBits);
            } else {
                magnitude = (1 + m / Math.pow(2, mantissaBits)) * Math.pow(2, e - bias);
            }
            return sign == 1 ? -magnitude : magnitude;
        }

        /** The value the rounding rule gives the pattern after the largest finite one. */
        private double magnitudeForRounding(int nonNegativeBits) {
            return nonNegativeBits == infinity ? Math.pow(2, (1 << (exponentBits - 1))) : value(nonNegativeBits);
        }

        /** The pattern nearest to a non-NaN float, ties to even (by binary search over the patterns). */
        int nearest(float f) {
            double a = Math.abs((double) f);
            int sign = (Double.doubleToRawLongBits(f) < 0) ? 0x8000 : 0;
            if (Double.isInfinite(a)) {
                return sign | infinity;
            }
            // lo = the largest non-negative pattern whose value is <= a; finite patterns 0 .. infinity-1.
            int lo = 0;
            int hi = infinity; // value(hi) > a, or hi is the overflow pattern
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (value(mid) <= a) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if (value(lo) == a) {
                return sign | lo;
            }
            hi = lo + 1;
            // 2a and value(lo) + value(hi) are exact in double: compare the midpoint exactly.
            double twice = 2 * a;
            double sum = value(lo) + magnitudeForRounding(hi);
            int pick = twice < sum ? lo : twice > sum ? hi : (lo % 2 == 0 ? lo : hi);
            return sign | pick;
        }
    }

    private HalfReference() {}
}
