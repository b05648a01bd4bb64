package dev.attnc.runtime.testing.reference;

/**
 * The error function in double precision, to about 1e-16 absolute: for {@code |x| < 3} the
 * series {@code erf(x) = 2/√π · e^{-x²} · Σ_{n≥0} 2ⁿ x^{2n+1} / (1·3·…·(2n+1))} (Abramowitz and
 * Stegun 7.1.6), whose terms are all positive, so nothing cancels; for {@code 3 ≤ |x| < 6} one
 * minus the continued fraction {@code erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x +
 * …))))} (A&amp;S 7.1.14), evaluated from a fixed depth backwards; beyond, ±1 (erfc(6) ≈ 2e-17).
 */
final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final int FRACTION_DEPTH = 120;

    private Erf() {}

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r;
        if (a < 3) {
            r = series(a);
        } else if (a < 6) {
            r = 1 - erfcFraction(a);
        } else {
            r = 1;
        }
        return Math.copySign(r, x);
    }

    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 400 && term > sum * 1e-18; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    private static double erfcFraction(double x) {
        double f = x;
        for (int n = FRACTION_DEPTH; n >= 1; n--) {
            f = x + (n / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
