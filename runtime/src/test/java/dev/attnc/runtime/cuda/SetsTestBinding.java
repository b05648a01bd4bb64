package dev.attnc.runtime.cuda;

import dev.attnc.runtime.kernel.GlobalSet;
import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.kernel.KeyCover;
import dev.attnc.runtime.kernel.PatternBinding;

/**
 * A binding whose global slots are given by the test: slot {@code k < static.length} holds the
 * rows of {@code statics[head % statics.length][k]} (a {@code boolean[n]}, or none when null),
 * and, when {@code withMask}, one more slot holds the call's runtime {@code global_mask} of the
 * batch item. Every head has row stride {@code rowStride(head)}.
 */
final class SetsTestBinding extends PatternBinding {

    private final boolean[][][] statics;
    private final boolean withMask;
    private final int[] strides;

    SetsTestBinding(int headDim, boolean[][][] statics, boolean withMask, int... strides) {
        super(new Config(
                "sets", headDim, 1 / Math.sqrt(headDim), 0, 0, 0, statics[0].length + (withMask ? 1 : 0), 0, 0));
        this.statics = statics;
        this.withMask = withMask;
        this.strides = strides.length == 0 ? new int[] {1} : strides;
    }

    @Override
    protected void bind(HeadBinding c) {
        boolean[][] mine = statics[c.head % statics.length];
        for (int k = 0; k < mine.length; k++) {
            GlobalSet.Builder g = GlobalSet.builder(c.n);
            if (mine[k] != null) {
                g.mask(mine[k], 0);
            }
            c.g[k] = g.build();
        }
        if (withMask) {
            GlobalSet.Builder g = GlobalSet.builder(c.n);
            if (c.in.hasGlobalMask()) {
                g.mask(c.in.globalMask(), c.batch * c.n);
            }
            c.g[mine.length] = g.build();
        }
        c.rowStride = strides[c.head % strides.length];
    }

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
