/**
 * The Java side of a generated kernel, in two halves. The host half — {@code PatternBinding}
 * (what a generated {@code <Name>Kernel.Binding} implements: validation, per-head parameters,
 * global sets, random tables, key covers and the pair test), {@code HeadBinding},
 * {@code KeyCover}, {@code GlobalSet}, {@code RandomTable} — imports no Vector API, so the CUDA
 * host code binds through it on any JVM. The engine half runs on the Vector API:
 * {@code SparseAttentionKernel} (the entry a generated kernel extends) over
 * {@code TileScheduler} (tasks, parallelism, pooled K panels), {@code RowGroupSoftmax} (row
 * groups, key chunks, online softmax) and {@code MicroKernels} (score and P·V register blocks),
 * with {@code VectorMath}; and {@code AdditiveAttentionKernel} for Fastformer patterns (over
 * {@code AdditivePooling}, {@code PoolingWeights}, {@code AdditiveOutput}). May import
 * {@code runtime} only, and {@code runtime.nn.Linear} for the additive output transform's GEMM.
 */
package dev.attnc.runtime.kernel;
