/**
 * JMH benchmarks of the generated kernels (taken from the {@code generated} library) and of the
 * compiler. {@code bench/report} runs the grid ({@link dev.attnc.bench.SoftmaxPatternBenchmark},
 * {@link dev.attnc.bench.AdditivePatternBenchmark}, {@link dev.attnc.bench.DenseReferenceBenchmark},
 * {@link dev.attnc.bench.CompileBenchmark}) and writes the report (bench/README.md); the other
 * classes are focused benchmarks run by hand (docs/JAVA_BACKEND.md, docs/GEMM.md). Built by the
 * normal build, never run by it.
 */
package dev.attnc.bench;
