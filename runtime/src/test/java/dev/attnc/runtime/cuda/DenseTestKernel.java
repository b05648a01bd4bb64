package dev.attnc.runtime.cuda;

import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.kernel.KeyCover;
import dev.attnc.runtime.kernel.SparseAttentionKernel;

/** A generated-style kernel where every row attends every key: enough for validation and bindings. */
final class DenseTestKernel extends SparseAttentionKernel {

    DenseTestKernel(int headDim) {
        super(new Config("dense", headDim, 1 / Math.sqrt(headDim), 0, 0, 16, 64, 1, 0, 0, 0, 0));
    }

    @Override
    protected void bind(HeadBinding c) {
    }

    @Override
    protected KeyCover cover(HeadBinding c, int first, int stride, int count) {
        return KeyCover.all(c.n);
    }

    @Override
    protected void maskTile(HeadBinding c, int first, int stride, int r0, int rows, int[] keys, int tFrom, int tTo,
                            float[] s, int ld) {
    }
}
