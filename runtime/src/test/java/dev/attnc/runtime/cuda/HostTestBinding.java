package dev.attnc.runtime.cuda;

import dev.attnc.runtime.kernel.GlobalSet;
import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.kernel.KeyCover;
import dev.attnc.runtime.kernel.PatternBinding;
import dev.attnc.runtime.kernel.RandomTable;

/**
 * A generated-style binding that uses every part of the host side: a parameter slot per head
 * (through {@code pick}), a global set with a runtime {@code global_mask}, a seeded random
 * table (through the cache) and a row stride; written the way {@code JavaEmitter} writes them.
 */
final class HostTestBinding extends PatternBinding {

    static final int HEAD_DIM = 8;
    private static final int BLOCK = 4;
    private static final int[] WINDOW_PER_HEAD = {2, 3, 1};

    HostTestBinding() {
        super(new Config("host_test", HEAD_DIM, 1 / Math.sqrt(HEAD_DIM), 0, 0, 1, 1, 1, 0));
    }

    @Override
    protected void bind(HeadBinding c) {
        int n = c.n;
        int layer = c.layer;
        int head = c.head;
        c.p[0] = pick(WINDOW_PER_HEAD, head % WINDOW_PER_HEAD.length, "head");
        GlobalSet.Builder g0 = GlobalSet.builder(n).tokens(0L, 0L);
        if (c.in.hasGlobalMask()) {
            g0.mask(c.in.globalMask(), c.batch * n);
        }
        c.g[0] = g0.build();
        int nb0 = (n + BLOCK - 1) / BLOCK;
        c.r[0] = randomTable(
                0,
                layer,
                head,
                n,
                () -> RandomTable.seeded(
                        7L,
                        layer,
                        head,
                        n,
                        BLOCK,
                        1,
                        new int[][] {{1, 1}},
                        GlobalSet.builder(nb0).first(0, 1).build()));
        c.rowStride = head % 2 == 0 ? 1 : 2;
    }

    @Override
    protected KeyCover cover(HeadBinding c, int first, int stride, int count) {
        int n = c.n;
        KeyCover k0 = KeyCover.window(n, first, stride, count, c.p[0], c.p[0], 1);
        KeyCover k1 = KeyCover.global(n, first, stride, count, c.g[0]);
        KeyCover k2 = KeyCover.union(k0, k1);
        KeyCover k3 = KeyCover.random(n, first, stride, count, BLOCK, c.r[0]);
        return KeyCover.union(k2, k3);
    }

    @Override
    protected void maskTile(
            HeadBinding c,
            int first,
            int stride,
            int rowFrom,
            int rows,
            int[] keys,
            int tFrom,
            int tTo,
            float[] s,
            int ld) {
        int p0 = c.p[0];
        GlobalSet g0 = c.g[0];
        RandomTable r0 = c.r[0];
        for (int r = 0; r < rows; r++) {
            int i = first + stride * (rowFrom + r);
            for (int t = tFrom; t < tTo; t++) {
                int j = keys[t];
                if (!((j - i >= -p0 && j - i <= p0)
                        || g0.contains(i)
                        || g0.contains(j)
                        || r0.has(i / BLOCK, j / BLOCK))) {
                    s[r * ld + t] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** A digest of the covers of the first row groups of {@code c} (what {@code cover} gives). */
    long coverDigest(HeadBinding c) {
        long h = 17;
        for (int first = 0; first < Math.min(c.n, 3); first++) {
            KeyCover k = cover(c, first, c.rowStride, Math.max(1, (c.n - first) / c.rowStride / 2));
            for (int s = 0; s < k.size(); s++) {
                h = h * 31 + k.lo(s);
                h = h * 31 + k.hi(s);
                h = h * 31 + k.stride(s);
                h = h * 31 + (k.full(s) ? 1 : 0);
            }
        }
        return h;
    }
}
