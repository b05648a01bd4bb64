/**
 * The kernel API shared by generated kernels, host code and users: {@code AttentionKernel} and
 * {@code AdditiveKernel}, their validated inputs ({@code AttentionInputs}, {@code AdditiveInputs},
 * {@code AttentionShape}, {@code TensorLayout}), the dense references in double precision
 * ({@code DenseReference}, {@code AdditiveReference}), the deterministic random-block generator
 * ({@code RandomBlocks}) and {@code Kernels} (generated kernels by name through
 * {@code ServiceLoader}). The base of the runtime: imports nothing of attnc and never the
 * compiler.
 */
package dev.attnc.runtime;
