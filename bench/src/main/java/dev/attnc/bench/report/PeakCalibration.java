package dev.attnc.bench.report;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's fp32 FMA peak measured in the same run, parsed from the output of
 * {@code bench/peak/fma_peak.c} or {@code dev.attnc.bench.peak.VectorFmaPeak} (same lines), with
 * the {@code source:} line {@code bench/report} writes first. Percentages of peak are of
 * {@link #allThreads()}: the kernels run on every core.
 *
 * @param source      which calibration ran (C program or Vector-API loop), as recorded
 * @param method      the calibration's own description (ISA, chains, runs)
 * @param oneThread   GFLOP/s on one thread
 * @param threads     threads of the all-core figure
 * @param allThreads  GFLOP/s on {@code threads} threads
 */
public record PeakCalibration(String source, String method, double oneThread, int threads, double allThreads) {

    private static final Pattern SOURCE = Pattern.compile("(?m)^source:\\s*(.+)$");
    private static final Pattern METHOD = Pattern.compile("(?m)^fma_peak:\\s*(.+)$");
    private static final Pattern ONE = Pattern.compile("(?m)^1 thread:\\s*([0-9.]+) GFLOP/s");
    private static final Pattern ALL = Pattern.compile("(?m)^(\\d+) threads:\\s*([0-9.]+) GFLOP/s");

    public PeakCalibration {
        if (!(allThreads > 0) || !(oneThread > 0) || threads < 1) {
            throw new IllegalArgumentException("peak: expected positive GFLOP/s and threads >= 1, got 1 thread "
                    + oneThread + ", " + threads + " threads " + allThreads);
        }
    }

    /**
     * Parses the calibration's output.
     *
     * @throws IllegalArgumentException naming {@code file} and the missing line
     */
    public static PeakCalibration parse(String text, String file) {
        Matcher one = ONE.matcher(text);
        Matcher all = ALL.matcher(text);
        if (!one.find()) {
            throw new IllegalArgumentException(file + ": no '1 thread: <x> GFLOP/s' line");
        }
        if (!all.find()) {
            throw new IllegalArgumentException(file + ": no '<threads> threads: <x> GFLOP/s' line");
        }
        Matcher src = SOURCE.matcher(text);
        Matcher method = METHOD.matcher(text);
        return new PeakCalibration(
                src.find() ? src.group(1).strip() : "unrecorded",
                method.find() ? method.group(1).strip() : "unrecorded",
                Double.parseDouble(one.group(1)),
                Integer.parseInt(all.group(1)),
                Double.parseDouble(all.group(2)));
    }

    /** {@code gflops} as a percentage of the all-core peak. */
    public double percentOf(double gflops) {
        return 100.0 * gflops / allThreads;
    }

    /** One line for machine.txt and the report. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%.1f GFLOP/s on %d threads, %.1f GFLOP/s on 1 thread (%s; %s)",
                allThreads,
                threads,
                oneThread,
                source,
                method);
    }
}
