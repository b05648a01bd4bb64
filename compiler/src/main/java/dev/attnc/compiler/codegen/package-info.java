/**
 * Build-time code generation, the one driver behind both of its clients ({@code attnc compile}
 * and {@code attnc-maven-plugin}): an immutable {@code CodegenRequest} in, a
 * {@code CodegenResult} out. {@code Codegen} compiles the specs ({@code Pipeline}), lowers each
 * pattern once and runs every requested {@code Target}'s emitter, refuses class-name clashes,
 * writes the engine headers, builds fatbins where nvcc exists ({@code FatbinStep}, a warning
 * naming why not otherwise), writes every output atomically and nothing when anything failed,
 * and skips work whose inputs did not change ({@code CodegenState}: content hash, configuration
 * and version). Diagnostics and progress go to a {@code CodegenLog}. May import the pipeline,
 * {@code emit}, {@code cuda}, {@code diag}, {@code io}, {@code ir}, {@code schedule} and
 * {@code tune} (which schedule a pattern gets: explicit, measured, cached or the cost model's);
 * imported by {@code cli} and the Maven plugin.
 */
package dev.attnc.compiler.codegen;
