package dev.attnc.bench.report;

import java.util.Locale;

/** How the report prints its numbers (fixed decimals, {@link Locale#ROOT}; "—" for none). */
final class Figures {

    static final String NONE = "—";

    private Figures() {}

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : NONE;
    }

    /** A time in ms with 3 significant decimals below 10 ms, fewer above. */
    static String millis(double ms) {
        if (!Double.isFinite(ms)) {
            return NONE;
        }
        return ms >= 100 ? fixed(ms, 1) : ms >= 10 ? fixed(ms, 2) : fixed(ms, 3);
    }

    /** {@code ms ± error}, or {@code ms} when the error is unknown. */
    static String millisWithError(double ms, double err) {
        return Double.isFinite(err) ? millis(ms) + " ± " + millis(err) : millis(ms);
    }

    /** A byte count in decimal units (B, kB, MB, GB, TB) with at most one decimal. */
    static String bytes(double b) {
        if (!Double.isFinite(b)) {
            return NONE;
        }
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        int u = 0;
        double v = b;
        while (Math.abs(v) >= 999.95 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String num = u == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        if (num.endsWith(".0")) {
            num = num.substring(0, num.length() - 2);
        }
        return num + " " + units[u];
    }

    /** A count with thousands separators, or "—" when negative (no pairs for additive attention). */
    static String count(long c) {
        return c < 0 ? NONE : String.format(Locale.ROOT, "%,d", c);
    }

    /** A tick label for a power of ten of milliseconds. */
    static String millisTick(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%.0f ms", ms) : LogLogPlot.plain(ms) + " ms";
    }
}
