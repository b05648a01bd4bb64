package dev.attnc.runtime.cuda;

/**
 * The launch shape of a generated CUDA softmax kernel, as {@code attnc::Shape<D, TENSOR>} in
 * {@code attnc_softmax.cuh} fixes it (the two must agree; a test compares them with the
 * compiled engine): 32 threads a warp, each warp owning {@link #rowsPerWarp} rows of the
 * block's query tile.
 *
 * <ul>
 *   <li>fp16/bf16 ({@code tensorCores}, mma.sync): {@link #warps} 4, 16 rows a warp; a key tile of {@link #keyTile} keys (32 up to head dim 128, else 16);
 *       shared-memory rows of {@link #paddedRow} elements; {@link #sharedBytes} of dynamic
 *       shared memory (a Q tile and four K/V key tiles: {@code (queryTile + 4·keyTile) ·
 *       paddedRow · 2} bytes), above 48 KiB for the larger head dims, so the function must be
 *       opted in ({@link LaunchConfig#MAX_OPT_IN_SHARED_BYTES}).
 *   <li>fp32: warps 4 / 2 / 1 for head dims up to 64 / 128 / 256, 16 rows a warp (8 above
 *       head dim 128), no dynamic shared memory (the fp32 path uses static shared memory).
 * </ul>
 *
 * Global query rows are computed by separate split-K blocks, each over {@link #KEY_SPLIT}
 * keys ({@link CudaBinding#keySplits}).
 */
public final class CudaShape {

    /** Keys per split-K block of the global rows; the engine's {@code attnc::KSPLIT}. */
    public static final int KEY_SPLIT = 512;

    private CudaShape() {}

    public static int rowsPerWarp(int headDim, boolean tensorCores) {
        return tensorCores || headDim <= 128 ? 16 : 8;
    }

    public static int warps(int headDim, boolean tensorCores) {
        if (tensorCores) {
            return 4;
        }
        return headDim <= 64 ? 4 : headDim <= 128 ? 2 : 1;
    }

    /** Threads per block. */
    public static int threads(int headDim, boolean tensorCores) {
        return 32 * warps(headDim, tensorCores);
    }

    /** Query rows per block (the binding's row-group size). */
    public static int queryTile(int headDim, boolean tensorCores) {
        return rowsPerWarp(headDim, tensorCores) * warps(headDim, tensorCores);
    }

    /** Keys per staged K/V tile of the tensor-core path (the fp32 path stages 32 keys, one per lane). */
    public static int keyTile(int headDim, boolean tensorCores) {
        return !tensorCores || headDim <= 128 ? 32 : 16;
    }

    /** Elements per shared-memory row of the tensor-core path: the head dim rounded up to 16, plus 8. */
    public static int paddedRow(int headDim) {
        return (headDim + 15) / 16 * 16 + 8;
    }

    /** Dynamic shared memory per block in bytes (0 for fp32: static shared memory only). */
    public static int sharedBytes(int headDim, boolean tensorCores) {
        if (!tensorCores) {
            return 0;
        }
        return (queryTile(headDim, true) + 4 * keyTile(headDim, true)) * paddedRow(headDim) * 2;
    }

    /**
     * The minimum resident blocks per SM the entry's {@code __launch_bounds__} asks for: for
     * fp16/bf16 the most that ptxas 13.0 fits without a register spill on sm_80 and sm_90
     * (4 at head dim 64, 3 from 16 to 63, 2 below 16 and up to 128, 1 above); for fp32 4 at head dim 64, else 1 (no bound). Measured over head dims 1..256 with every spec.
     */
    public static int minBlocks(int headDim, boolean tensorCores) {
        if (!tensorCores) {
            return headDim == 64 ? 4 : 1;
        }
        return headDim == 64 ? 4 : headDim >= 16 && headDim < 64 ? 3 : headDim <= 128 ? 2 : 1;
    }
}
