package dev.attnc.bench.report;

import java.util.Map;

/**
 * One benchmark result of a JMH JSON file: what the report reads of it.
 *
 * @param benchmark     the full method name, e.g. {@code dev.attnc.bench.SoftmaxPatternBenchmark.kernel}
 * @param mode          JMH's mode abbreviation ({@code avgt}, {@code ss}, …)
 * @param forks         forks measured
 * @param params        the {@code @Param} values
 * @param score         the primary metric's score
 * @param scoreError    its 99.9 % confidence half-width, NaN when JMH had too few samples
 * @param scoreUnit     the primary metric's unit, e.g. {@code ms/op}
 * @param allocPerOp    {@code gc.alloc.rate.norm} in bytes per operation, NaN without {@code -prof gc}
 * @param jdkVersion    the forks' JDK version
 * @param vmName        the forks' VM name
 */
public record JmhResult(
        String benchmark,
        String mode,
        int forks,
        Map<String, String> params,
        double score,
        double scoreError,
        String scoreUnit,
        double allocPerOp,
        String jdkVersion,
        String vmName) {

    public JmhResult {
        params = Map.copyOf(params);
    }

    /** The benchmark's class name without its package, e.g. {@code SoftmaxPatternBenchmark}. */
    public String benchmarkClass() {
        int dot = benchmark.lastIndexOf('.');
        String cls = dot < 0 ? benchmark : benchmark.substring(0, dot);
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** The benchmark's method name, e.g. {@code kernel}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** The value of {@code @Param} {@code name}; the error names the benchmark and its parameters. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException(benchmark + " has no parameter '" + name + "' (has " + params + ")");
        }
        return v;
    }

    /** The score in milliseconds per operation. */
    public double millis() {
        return toMillis(score);
    }

    /** The score error in milliseconds per operation (NaN when unknown). */
    public double millisError() {
        return toMillis(scoreError);
    }

    private double toMillis(double v) {
        return switch (scoreUnit) {
            case "ms/op" -> v;
            case "s/op" -> v * 1e3;
            case "us/op" -> v / 1e3;
            case "ns/op" -> v / 1e6;
            default ->
                throw new IllegalArgumentException(
                        benchmark + ": expected a time per operation (s/op, ms/op, us/op, ns/op), got " + scoreUnit);
        };
    }
}
