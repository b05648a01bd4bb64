package dev.attnc.bench.suite;

import java.util.List;

/**
 * What a suite run measures: which patterns at which lengths, and how long JMH measures each
 * point. {@link #FULL} is issue 13 §3's grid; {@link #QUICK} a subset that runs in minutes;
 * {@link #SMOKE} three points, to check the pipeline.
 *
 * @param name            {@code quick} or {@code full}
 * @param patterns        softmax and additive patterns to measure, or empty for every pattern
 *                        of the catalog
 * @param lengths         lengths for every pattern
 * @param linearLengths   further lengths for the patterns whose work grows linearly
 * @param referenceLengths lengths of the {@code DenseReference} baseline
 * @param compileSpecs    spec files whose compile time is measured, or empty for all
 * @param forks           JMH forks per kernel point
 * @param warmups         warm-up iterations per fork
 * @param iterations      measurement iterations per fork
 * @param seconds         seconds per iteration
 * @param coldForks       forks (one single shot each) for the cold compile time
 */
public record Grid(
        String name,
        List<String> patterns,
        List<Integer> lengths,
        List<Integer> linearLengths,
        List<Integer> referenceLengths,
        List<String> compileSpecs,
        int forks,
        int warmups,
        int iterations,
        int seconds,
        int coldForks) {

    public Grid {
        patterns = List.copyOf(patterns);
        lengths = List.copyOf(lengths);
        linearLengths = List.copyOf(linearLengths);
        referenceLengths = List.copyOf(referenceLengths);
        compileSpecs = List.copyOf(compileSpecs);
    }

    /** Every pattern at 1k..16k, the linear ones also at 32k and 64k; 2 forks × 5 × 2 s. */
    public static final Grid FULL = new Grid(
            "full",
            List.of(),
            List.of(1024, 2048, 4096, 8192, 16384),
            List.of(32768, 65536),
            List.of(1024, 2048),
            List.of(),
            2,
            3,
            5,
            2,
            5);

    /** A few patterns at 1k, 4k and 16k, 1 fork × 2 × 1 s; two specs' compile time. */
    public static final Grid QUICK = new Grid(
            "quick",
            List.of("longformer_base", "bigbird_itc", "gpt_neo_local", "dense", "fastformer", "fastformer_bert"),
            List.of(1024, 4096, 16384),
            List.of(),
            List.of(1024),
            List.of("longformer.attn", "bigbird.attn"),
            1,
            1,
            2,
            1,
            2);

    /** One pattern, dense and Fastformer at 1k, one short iteration: checks the pipeline end to end in about a minute. */
    public static final Grid SMOKE = new Grid(
            "smoke",
            List.of("longformer_base", "dense", "fastformer"),
            List.of(1024),
            List.of(),
            List.of(1024),
            List.of("common.attn"),
            1,
            1,
            1,
            1,
            1);

    /** The grid named {@code name}. */
    public static Grid named(String name) {
        return switch (name) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            case "smoke" -> SMOKE;
            default -> throw new IllegalArgumentException("grid: expected quick, full or smoke, got '" + name + "'");
        };
    }
}
