package dev.attnc.runtime.cuda;

import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.kernel.KeyCover;
import dev.attnc.runtime.kernel.PatternBinding;

/** A generated-style binding where every row attends every key: enough for validation and bindings. */
final class DenseTestBinding extends PatternBinding {

    DenseTestBinding(int headDim) {
        super(new Config("dense", headDim, 1 / Math.sqrt(headDim), 0, 0, 0, 0, 0, 0));
    }

    @Override
    protected void bind(HeadBinding c) {}

    @Override
    protected KeyCover cover(HeadBinding c, int first, int stride, int count) {
        return KeyCover.all(c.n);
    }

    @Override
    protected void maskTile(
            HeadBinding c,
            int first,
            int stride,
            int r0,
            int rows,
            int[] keys,
            int tFrom,
            int tTo,
            float[] s,
            int ld) {}
}
