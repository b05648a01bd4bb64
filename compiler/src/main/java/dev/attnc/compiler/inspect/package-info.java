/**
 * Inspection: what a checked pattern costs and looks like, for people and tests — not a stage of
 * the compiler. {@code TileAnalysis} classifies query-tile × key-tile pairs as empty, partial or
 * full and counts the attended pairs exactly from interval and progression arithmetic
 * ({@code RowEvaluator}, {@code RowSet}; no n×n mask), {@code PairCounts} and
 * {@code PatternSummary} make the one-line summary of {@code attnc check} (terms, density, FLOPs),
 * and {@code MaskPicture}, {@code TextMaskRenderer} and {@code SvgMaskWriter} draw a mask for
 * {@code attnc show}.
 *
 * <p>Why here and not between the IR and the schedule: the cost model
 * ({@code schedule.CostModel}) chooses tiles from the head dim and the block sizes alone, and the
 * kernels compute their key covers at run time from the loop IR, so nothing on the path from a
 * spec to a kernel reads the analysis. When a tuner chooses schedules from tile classes and pair
 * counts, the analysis moves back onto that path. May import {@code ir}, {@code Pipeline} results
 * and the runtime's random-block generator; nothing on the compile path imports it (the command
 * line, the tests and the benchmarks do).
 */
package dev.attnc.compiler.inspect;
