package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.DenseReference;
import dev.attnc.runtime.MaskFunction;

/**
 * A generated-style softmax pattern for the engine's tests, its binding written the way
 * {@code JavaEmitter} writes them: per head {@code h} a dilated window
 * {@code j − i ∈ δ·[−(before + h % 3), after − h % 2]} ({@code after} may be negative: then the
 * first rows of a head attend no key), optionally the global token 0 plus the runtime
 * {@code global_mask}, optionally {@code randomCount} random key blocks of {@code block} tokens
 * per query block from a seeded table; the row stride is {@code δ}, doubled on odd heads.
 *
 * <p>{@link #mask} and {@link #globalRows} give the same pattern pair by pair for
 * {@link DenseReference}, from the rules (not from the covers the engine walks).
 */
record TestPattern(
        int headDim, double scale, int before, int after, int dilation, boolean globals, int block, int randomCount) {

    private static final long RANDOM_SEED = 7L;

    TestPattern {
        if (before < 0 || dilation < 1 || block < 1 || randomCount < 0) {
            throw new IllegalArgumentException("bad test pattern");
        }
    }

    int before(int head) {
        return before + head % 3;
    }

    int after(int head) {
        return after - head % 2;
    }

    boolean random() {
        return randomCount > 0;
    }

    /** The Java engine's kernel of this pattern with {@code schedule}. */
    SparseAttentionKernel kernel(SparseAttentionKernel.Schedule schedule) {
        return new SparseAttentionKernel(new Binding(this), schedule) {};
    }

    /** Whether row {@code i} of batch item {@code b} may attend key {@code j}, by the pattern's rules. */
    MaskFunction mask(AttentionInputs in) {
        int n = in.shape().length();
        RandomTable[] tables = new RandomTable[in.shape().heads()];
        for (int h = 0; h < tables.length && random(); h++) {
            tables[h] = table(in.layer(), h, n);
        }
        return (b, h, i, j) -> {
            int diff = j - i;
            boolean window = diff % dilation == 0 && diff / dilation >= -before(h) && diff / dilation <= after(h);
            boolean global = globals && (isGlobalToken(in, b, i) || isGlobalToken(in, b, j));
            boolean randomBlock = random() && tables[h].has(i / block, j / block);
            return window || global || randomBlock;
        };
    }

    /** The rows that use qg, kg, vg when they are given. */
    DenseReference.GlobalRows globalRows(AttentionInputs in) {
        return globals ? (b, h, i) -> isGlobalToken(in, b, i) : DenseReference.GlobalRows.NONE;
    }

    private static boolean isGlobalToken(AttentionInputs in, int b, int t) {
        return t == 0 || in.isRuntimeGlobal(b, t);
    }

    private RandomTable table(int layer, int head, int n) {
        int nb = (n + block - 1) / block;
        return RandomTable.seeded(
                RANDOM_SEED,
                layer,
                head,
                n,
                block,
                randomCount,
                new int[][] {{0, 0}},
                GlobalSet.builder(nb).build());
    }

    /** The host side, as a generated {@code Binding} would be. */
    private static final class Binding extends PatternBinding {

        private final TestPattern p;

        Binding(TestPattern p) {
            super(new Config("test_pattern", p.headDim, p.scale, 0, 0, 2, p.globals ? 1 : 0, p.random() ? 1 : 0, 0));
            this.p = p;
        }

        @Override
        protected void bind(HeadBinding c) {
            int n = c.n;
            c.p[0] = p.before(c.head);
            c.p[1] = p.after(c.head);
            if (p.globals) {
                GlobalSet.Builder g0 = GlobalSet.builder(n).tokens(0L, 0L);
                if (c.in.hasGlobalMask()) {
                    g0.mask(c.in.globalMask(), c.batch * n);
                }
                c.g[0] = g0.build();
            }
            if (p.random()) {
                c.r[0] = randomTable(0, c.layer, c.head, n, () -> p.table(c.layer, c.head, n));
            }
            c.rowStride = p.dilation * (c.head % 2 == 0 ? 1 : 2);
        }

        @Override
        protected KeyCover cover(HeadBinding c, int first, int stride, int count) {
            int n = c.n;
            KeyCover k = KeyCover.window(n, first, stride, count, c.p[0], c.p[1], p.dilation);
            if (p.globals) {
                k = KeyCover.union(k, KeyCover.global(n, first, stride, count, c.g[0]));
            }
            if (p.random()) {
                k = KeyCover.union(k, KeyCover.random(n, first, stride, count, p.block, c.r[0]));
            }
            return k;
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
            int lo = -p.dilation * c.p[0];
            int hi = p.dilation * c.p[1];
            for (int r = 0; r < rows; r++) {
                int i = first + stride * (rowFrom + r);
                for (int t = tFrom; t < tTo; t++) {
                    int j = keys[t];
                    boolean allowed = (j - i >= lo && j - i <= hi && (j - i) % p.dilation == 0)
                            || (p.globals && (c.g[0].contains(i) || c.g[0].contains(j)))
                            || (p.random() && c.r[0].has(i / p.block, j / p.block));
                    if (!allowed) {
                        s[r * ld + t] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
    }
}
