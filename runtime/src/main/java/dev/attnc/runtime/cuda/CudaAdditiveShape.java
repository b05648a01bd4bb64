package dev.attnc.runtime.cuda;

/**
 * The launch shapes of a generated CUDA additive (Fastformer) kernel, as the constants of
 * {@code attnc_additive.cuh} fix them (the two must agree; a test compares them with the
 * header): the poolings run over {@link #poolChunks(int)} chunks of the sequence per head and
 * batch item, the combine over heads × batch items, the output over 32 × 32 tiles.
 */
public final class CudaAdditiveShape {

    public static final int POOL_THREADS = 128;
    /** Tokens a pooling block takes at least. */
    public static final int POOL_TOKENS = 128;

    public static final int POOL_MAX_CHUNKS = 64;
    public static final int COMBINE_THREADS = 128;
    public static final int OUT_TILE = 32;
    public static final int OUT_THREADS = 256;

    private CudaAdditiveShape() {}

    /** Chunks of the pooling grid for {@code n} tokens: {@code min(ceil(n / 128), 64)}. */
    public static int poolChunks(int n) {
        return Math.min((n + POOL_TOKENS - 1) / POOL_TOKENS, POOL_MAX_CHUNKS);
    }

    /** Floats of one chunk partial: max, sum, then the weighted head-dim vector. */
    public static int partialFloats(int headDim) {
        return headDim + 2;
    }

    /** Output tiles along {@code count} (tokens or features). */
    public static int tiles(int count) {
        return (count + OUT_TILE - 1) / OUT_TILE;
    }
}
