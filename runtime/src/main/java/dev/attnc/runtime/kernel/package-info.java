/**
 * The Java side of a generated kernel, in two halves. The host half — {@code PatternBinding}
 * (what a generated {@code <Name>Kernel.Binding} implements: validation, per-head parameters,
 * global sets, random tables, key covers and the pair test), {@code HeadBinding},
 * {@code KeyCover}, {@code GlobalSet}, {@code RandomTable} — imports no Vector API, so the CUDA
 * host code binds through it on any JVM. The engine half runs on the Vector API:
 * {@code SparseAttentionKernel} (the entry a generated kernel extends) over
 * {@code TileScheduler} (tasks, parallelism, pooled K panels), {@code RowGroupSoftmax} (row
 * groups, key chunks, online softmax) and {@code MicroKernels} (score and P·V register blocks),
 * with {@code VectorMath}; and {@code AdditiveAttentionKernel} for Fastformer patterns. May
 * import {@code runtime} only.
 */
package dev.attnc.runtime.kernel;
