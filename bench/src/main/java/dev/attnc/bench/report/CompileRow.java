package dev.attnc.bench.report;

/**
 * The compiler's time on one spec file (milliseconds; NaN when not measured): to Java source
 * and to loaded kernels (with javac in memory), in a cold JVM (mean of single shots, one per
 * fork) and a warm one (average time).
 */
public record CompileRow(
        String spec, double sourceCold, double sourceWarm, double kernelsCold, double kernelsWarm, int coldForks) {}
