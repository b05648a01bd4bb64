package dev.attnc.runtime.cuda;

/**
 * The launch shape of a generated CUDA softmax kernel, as {@code attnc::Shape<D, TENSOR>} in
 * {@code attnc_softmax.cuh} fixes it (the two must agree; a test compares them with the
 * compiled engine): 32 threads a warp, each warp owning {@link #rowsPerWarp} rows of the
 * block's row group. fp16/bf16 kernels ({@code tensorCores}) use 16-row wmma tiles.
 */
public final class CudaShape {

    private CudaShape() {}

    public static int rowsPerWarp(int headDim, boolean tensorCores) {
        return tensorCores || headDim <= 128 ? 16 : 8;
    }

    public static int warps(int headDim) {
        return headDim <= 64 ? 4 : headDim <= 128 ? 2 : 1;
    }

    /** Threads per block. */
    public static int threads(int headDim, boolean tensorCores) {
        return 32 * warps(headDim);
    }

    /** Query rows per block (the binding's row-group size). */
    public static int queryTile(int headDim, boolean tensorCores) {
        return rowsPerWarp(headDim, tensorCores) * warps(headDim);
    }
}
