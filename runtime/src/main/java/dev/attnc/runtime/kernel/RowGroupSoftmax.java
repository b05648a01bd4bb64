package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.Arrays;

/**
 * The online softmax of the engine, one row group at a time: this class owns what happens
 * between a task (a range of query tiles of one head, from {@link TileScheduler}) and the
 * register blocks of its {@link MicroKernel} (the kernel's generated one, or the generic one).
 *
 * <p>Each query tile of {@code queryTile·rowStride} rows is split into {@code rowStride} row
 * groups of one residue; for each group the pattern's {@code cover} lists the key segments it
 * may attend (disjoint, so a key in two terms of a union is visited once), each full (no test)
 * or partial (the pattern's {@code maskTile} tests each pair). Keys are gathered in chunks of
 * at most {@code keyTile}; K of a chunk is read in place from the head's K panels (contiguous
 * chunks) or gathered into a {@code [d, keyTile]} buffer, and serves every row of the group:
 * scores a register block of rows at a time (in partial chunks, only the keys the block's own
 * cover reaches), the online softmax step in log2 units with a lazily updated maximum and a
 * vector {@code exp2}, then {@code O += P·V} — the three by the micro-kernel. A group's rows
 * are blocked {@code rows()} at a time, the last block holding the rest. Memory per worker thread is O(queryTile·d + d·keyTile)
 * ({@link Scratch}); nothing of size n×n or n×w exists.
 *
 * <p>Padding: invalid keys are left out of the chunks, so their values are never read (they
 * may hold anything, NaN included); invalid query rows and rows that attend no key output 0.
 * With separate global projections, the global rows of each group are recomputed afterwards,
 * together as one group, from qg, kg, vg over every valid key.
 *
 * <p>Log-sum-exp: when the caller passes an {@code lse} array, each row's
 * {@code ln Σ_j e^{score_j} = ln 2 · (m + log₂ l)} is stored when its group is done (running
 * maximum {@code m} and sum {@code l} in log2 units), {@code -∞} for the rows that output 0;
 * the global rows' second pass overwrites it like their output. Without the array nothing of
 * this runs.
 *
 * <p>The pattern is reached through one object, {@link #pattern}, and only for its
 * {@code cover} and {@code maskTile}, and once for its {@link ScoreMods}: a pattern with score
 * modifiers scales each head's Q by its own scale and has the cap and the ALiBi bias applied to
 * each register block's allowed scores between the mask and the softmax step.
 */
final class RowGroupSoftmax {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    /** {@code ln 2}: a log2-unit score times it is the natural-log score. */
    private static final double LN2 = Math.log(2);

    /** Scores, softmax step and {@code P·V} of one register block. */
    private final MicroKernel micro;
    /** Rows of a register block: a group's rows are blocked this many at a time, the last block the rest. */
    private final int blockRows;
    /**
     * Keys of a register block, and of a K panel: chunks are padded to a multiple of it, and
     * chunk boundaries are kept on panels so that contiguous chunks read K in place.
     */
    private final int panel;
    /** Lanes of the micro-kernel's vectors: each row's running sum is kept in this many lanes. */
    private final int lanes;

    /** The generated pattern: which keys each row may attend ({@code cover}, {@code maskTile}). */
    private final PatternBinding pattern;

    private final int headDim;
    /** The softmax scale times log2(e): scores are kept in log2 units and exponentiated by {@code exp2}. */
    private final float scaleLog2;
    /** The pattern's softmax scale (natural units). */
    private final double scale;
    /** The pattern's score modifiers; null when it has none (then no step of theirs runs). */
    private final ScoreMods mods;

    private final int queryTile;
    private final int keyTile;
    private final int keyTilePadded;
    /** Whether the pattern has global terms, whose rows use qg, kg, vg when they are given. */
    private final boolean hasGlobals;

    private final ThreadLocal<Scratch> scratch;

    RowGroupSoftmax(
            PatternBinding pattern,
            MicroKernel micro,
            int headDim,
            double scale,
            int queryTile,
            int keyTile,
            boolean hasGlobals) {
        if (micro.headDim() != headDim) {
            throw new IllegalArgumentException(
                    "micro-kernel for head dim " + micro.headDim() + " given to a kernel of head dim " + headDim);
        }
        this.pattern = pattern;
        this.micro = micro;
        this.blockRows = micro.rows();
        this.panel = micro.keys();
        this.lanes = micro.vectorBits() / 32;
        this.headDim = headDim;
        this.scaleLog2 = (float) (scale * (1 / Math.log(2)));
        this.scale = scale;
        ScoreMods m = pattern.scoreMods();
        this.mods = m.isNone() ? null : m;
        this.queryTile = queryTile;
        this.keyTile = keyTile;
        this.keyTilePadded = (keyTile + panel - 1) / panel * panel;
        this.hasGlobals = hasGlobals;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(queryTile, keyTilePadded, headDim, blockRows, lanes));
    }

    int queryTile() {
        return queryTile;
    }

    /** Keys per K panel ({@code [n/panel][d][panel]}), the micro-kernel's keys per block. */
    int panel() {
        return panel;
    }

    /** Query tiles {@code tileFrom..tileTo-1} of one (batch item, head): one task of the scheduler. */
    void tiles(HeadBinding c, int tileFrom, int tileTo, float[] out, float[] lse) {
        Scratch w = scratch.get();
        AttentionInputs in = c.in;
        int stride = c.rowStride;
        long span = (long) queryTile * stride;
        boolean separateGlobals = in.hasGlobalProjections() && hasGlobals;
        for (int tile = tileFrom; tile < tileTo; tile++) {
            long base = tile * span;
            for (int res = 0; res < stride; res++) {
                long first = base + res;
                if (first >= c.n) {
                    break;
                }
                int count = (int) Math.min(queryTile, (c.n - 1 - first) / stride + 1);
                int[] rows = w.rows;
                for (int r = 0; r < count; r++) {
                    rows[r] = (int) first + stride * r;
                }
                KeyCover cover = pattern.cover(c, (int) first, stride, count);
                group(c, w, in.q(), in.k(), in.v(), count, cover, (int) first, stride, out, lse);
                if (separateGlobals) {
                    // The group's global rows again, from qg, kg, vg over every valid key, together
                    // (in register blocks, like any group): their spacing does not matter, since a
                    // cover of all keys has no partial chunk that would ask the pattern about them.
                    int globalRows = 0;
                    for (int r = 0; r < count; r++) {
                        int i = (int) first + stride * r;
                        if (c.isGlobalRow(i) && in.isValid(c.batch, i)) {
                            rows[globalRows++] = i;
                        }
                    }
                    if (globalRows > 0) {
                        group(c, w, in.qg(), in.kg(), in.vg(), globalRows, KeyCover.all(c.n), -1, 0, out, lse);
                    }
                }
            }
        }
    }

    /**
     * Attention of the rows {@code w.rows[0..count)} over the keys of {@code cover}; writes their
     * output rows, and their log-sum-exp when {@code lse} is not null. To the pattern, asked
     * about the partial chunks of the cover, the rows are {@code first + stride·r}.
     */
    private void group(
            HeadBinding c,
            Scratch w,
            float[] q,
            float[] k,
            float[] v,
            int count,
            KeyCover cover,
            int first,
            int stride,
            float[] out,
            float[] lse) {
        AttentionInputs in = c.in;
        AttentionShape shape = in.shape();
        TensorLayout lay = in.layout();
        int d = headDim;
        int tokenStride = lay == TensorLayout.BHLD ? d : shape.heads() * d;
        int headBase = (int) lay.index(shape, c.batch, c.head, 0, 0);
        // K and V of the head's kv head (grouped-query attention: G heads, h / (H / G)).
        AttentionShape kvShape = shape.kvShape();
        int kvStride = lay == TensorLayout.BHLD ? d : kvShape.heads() * d;
        int kvBase = (int) lay.index(kvShape, c.batch, c.kvHead, 0, 0);
        // Q rows, pre-scaled (by the head's own scale when the pattern has per-head scales); O, m, l cleared.
        float[] qs = w.q;
        float sl = mods == null ? scaleLog2 : (float) (mods.scale(c.head, scale) * (1 / Math.log(2)));
        for (int r = 0; r < count; r++) {
            int src = headBase + w.rows[r] * tokenStride;
            for (int x = 0; x < d; x++) {
                qs[r * d + x] = q[src + x] * sl;
            }
        }
        Arrays.fill(w.o, 0, count * d, 0f);
        Arrays.fill(w.blockCovers, null);
        Arrays.fill(w.m, 0, count, NEG_INF);
        Arrays.fill(w.l, 0, count * lanes, 0f);
        boolean padding = in.hasKeyValid();
        int[] keys = w.keys;
        int nk = 0;
        boolean chunkPartial = false;
        for (int seg = 0; seg < cover.size(); seg++) {
            boolean partial = !cover.full(seg);
            int step = cover.stride(seg);
            int hi = cover.hi(seg);
            for (int j = cover.lo(seg); j <= hi; j += step) {
                if (padding && !in.isValid(c.batch, j)) {
                    continue; // padding keys are never read: their values may be anything, even NaN
                }
                if (nk > 0 && partial != chunkPartial && nk < keyTile && j == keys[nk - 1] + 1 && j % panel != 0) {
                    // Keep chunk boundaries on panel boundaries, so that full chunks read K in
                    // place: a partial chunk takes the full keys up to the next boundary (they
                    // are tested, and pass) ...
                    if (chunkPartial) {
                        keys[nk++] = j;
                        continue;
                    }
                    // ... and a full chunk hands its keys past the last boundary to the partial one.
                    int cut = nk - 1;
                    while (cut > 0 && keys[cut] % panel != 0) {
                        cut--;
                    }
                    if (cut > 0 && keys[nk - 1] - keys[cut] == nk - 1 - cut) {
                        chunk(c, w, k, v, kvBase, kvStride, first, stride, count, cut, false);
                        System.arraycopy(keys, cut, keys, 0, nk - cut);
                        nk -= cut;
                        chunkPartial = true;
                        keys[nk++] = j;
                        continue;
                    }
                }
                if (nk > 0 && (nk == keyTile || partial != chunkPartial)) {
                    chunk(c, w, k, v, kvBase, kvStride, first, stride, count, nk, chunkPartial);
                    nk = 0;
                }
                chunkPartial = partial;
                keys[nk++] = j;
            }
        }
        if (nk > 0) {
            chunk(c, w, k, v, kvBase, kvStride, first, stride, count, nk, chunkPartial);
        }
        for (int r = 0; r < count; r++) {
            int i = w.rows[r];
            int dst = headBase + i * tokenStride;
            float l = rowSum(w.l, r, lanes);
            if (l == 0f || !in.isValid(c.batch, i)) {
                Arrays.fill(out, dst, dst + d, 0f);
            } else {
                float inv = 1f / l;
                for (int x = 0; x < d; x++) {
                    out[dst + x] = w.o[r * d + x] * inv;
                }
            }
        }
        if (lse != null) {
            logSumExp(c, w, count, lanes, lse);
        }
    }

    /** {@code keys[1] − keys[0]} when {@code keys[0..nk)} is a progression of that step, else 0. */
    private static int progressionStep(int[] keys, int nk) {
        if (nk == 1) {
            return 1;
        }
        int step = keys[1] - keys[0];
        for (int t = 2; t < nk; t++) {
            if (keys[t] - keys[t - 1] != step) {
                return 0;
            }
        }
        return step;
    }

    /** Row {@code r}'s running sum: its {@code lanes} lanes added in order (the same bits in every run). */
    private static float rowSum(float[] l, int r, int lanes) {
        float sum = 0f;
        for (int j = r * lanes, end = j + lanes; j < end; j++) {
            sum += l[j];
        }
        return sum;
    }

    /**
     * The natural-log log-sum-exp of the rows {@code w.rows[0..count)} of a finished group into
     * {@code lse[(b·H + h)·L + i]}: {@code ln 2 · (m + log₂ l)}, in double before the one rounding
     * to float; {@code -∞} for the rows {@link #group} outputs 0 for (no key, or padding).
     */
    private static void logSumExp(HeadBinding c, Scratch w, int count, int lanes, float[] lse) {
        AttentionInputs in = c.in;
        AttentionShape shape = in.shape();
        int base = (c.batch * shape.heads() + c.head) * shape.length();
        for (int r = 0; r < count; r++) {
            int i = w.rows[r];
            float l = rowSum(w.l, r, lanes);
            lse[base + i] = l == 0f || !in.isValid(c.batch, i) ? NEG_INF : (float) (LN2 * w.m[r] + Math.log(l));
        }
    }

    /**
     * One chunk of {@code nk} keys ({@code w.keys}) against every row of the group; K and V rows
     * of the head's kv head start at {@code kvBase}, tokens {@code kvStride} floats apart.
     */
    private void chunk(
            HeadBinding c,
            Scratch w,
            float[] k,
            float[] v,
            int kvBase,
            int kvStride,
            int first,
            int stride,
            int count,
            int nk,
            boolean partial) {
        int d = headDim;
        int ld = keyTilePadded;
        int nkp = (nk + panel - 1) / panel * panel;
        int[] keys = w.keys;
        // K of the chunk as [d, keys]: read in place from the head's K panels when the keys are
        // contiguous and start on a panel; else gathered into the scratch buffer.
        float[] kt;
        int kOff;
        int blockStride;
        int xStride;
        if (k == c.in.k() && keys[nk - 1] - keys[0] == nk - 1 && keys[0] % panel == 0) {
            kt = c.kp;
            kOff = keys[0] / panel * d * panel;
            blockStride = d * panel;
            xStride = panel;
        } else {
            kt = w.kt;
            kOff = 0;
            blockStride = panel;
            xStride = ld;
            int[] src = w.src;
            for (int t = 0; t < nk; t++) {
                src[t] = kvBase + keys[t] * kvStride;
            }
            for (int x = 0; x < d; x++) {
                int row = x * ld;
                for (int t = 0; t < nk; t++) {
                    kt[row + t] = k[src[t] + x];
                }
            }
        }
        float[] sc = w.s;
        // The chunk's keys as a progression lo, lo + step, … (contiguous keys, or a dilated
        // window's), or step 0 when they are not one (a gather of several segments).
        int step = progressionStep(keys, nk);
        for (int r0 = 0; r0 < count; ) {
            int left = count - r0;
            int rows = Math.min(left, blockRows);
            // The keys of this chunk that this register block may attend: in partial chunks
            // that are one progression (window edges, dilated or not) the block's own cover
            // narrows them, so that the masked half of an edge chunk is neither computed nor
            // tested.
            int tFrom = 0;
            int tTo = nkp;
            // Positions [fullFrom, fullTo) every row of the block attends (a full segment of its
            // cover): the mask is tested only outside them.
            int fullFrom = 0;
            int fullTo = 0;
            if (partial && step > 0) {
                KeyCover rc = w.blockCovers[r0];
                if (rc == null) {
                    rc = pattern.cover(c, first + stride * r0, stride, rows);
                    w.blockCovers[r0] = rc;
                }
                int lo = keys[0];
                int hi = keys[nk - 1];
                int a = Integer.MAX_VALUE;
                int b = -1;
                for (int sg = 0; sg < rc.size() && rc.lo(sg) <= hi; sg++) {
                    if (rc.hi(sg) >= lo) {
                        a = Math.min(a, Math.max(rc.lo(sg), lo));
                        b = Math.max(b, Math.min(rc.hi(sg), hi));
                    }
                }
                // Positions of the chunk whose keys lie in [a, b].
                int ta = (a - lo + step - 1) / step;
                int tb = (b - lo) / step;
                if (b < a || tb < ta) {
                    r0 += rows;
                    continue;
                }
                tFrom = ta / panel * panel;
                tTo = Math.min(nkp, (tb + panel) / panel * panel);
                for (int sg = 0; sg < rc.size() && rc.lo(sg) <= hi; sg++) {
                    boolean sameKeys = rc.lo(sg) == rc.hi(sg) || rc.stride(sg) == step;
                    if (rc.full(sg) && rc.hi(sg) >= lo && sameKeys && Math.floorMod(rc.lo(sg) - lo, step) == 0) {
                        int fa = (Math.max(rc.lo(sg), lo) - lo + step - 1) / step;
                        int fb = (Math.min(rc.hi(sg), hi) - lo) / step + 1;
                        if (fb - fa > fullTo - fullFrom) {
                            fullFrom = fa;
                            fullTo = fb;
                        }
                    }
                }
            }
            micro.scores(rows, w.q, r0 * d, kt, kOff, blockStride, xStride, tFrom, tTo, sc, ld);
            if (tTo > nk) {
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(sc, r * ld + Math.max(nk, tFrom), r * ld + tTo, NEG_INF);
                }
            }
            if (partial) {
                int end = Math.min(nk, tTo);
                if (fullTo > fullFrom) {
                    if (tFrom < fullFrom) {
                        pattern.maskTile(c, first, stride, r0, rows, keys, tFrom, Math.min(fullFrom, end), sc, ld);
                    }
                    if (fullTo < end) {
                        pattern.maskTile(c, first, stride, r0, rows, keys, Math.max(fullTo, tFrom), end, sc, ld);
                    }
                } else {
                    pattern.maskTile(c, first, stride, r0, rows, keys, tFrom, end, sc, ld);
                }
            }
            if (mods != null && !mods.scaleOnly()) {
                // Soft cap and ALiBi on the allowed pairs' scores (masked ones stay -inf).
                ScoreStep.apply(
                        mods, c.head, c.in.shape().heads(), w.rows, r0, rows, keys, tFrom, Math.min(nk, tTo), sc, ld);
            }
            micro.softmax(rows, sc, ld, tFrom, tTo, w.m, w.l, w.o, r0);
            int tEnd = Math.min(nk, tTo);
            micro.pv(rows, w.o, r0 * d, sc, ld, v, kvBase, kvStride, keys, tFrom, tEnd);
            r0 += rows;
        }
    }

    /** Per-thread buffers, O(queryTile·d + d·keyTile). */
    private static final class Scratch {
        final float[] q;
        final float[] o;
        final float[] m;
        /** Each row's running sum in {@code lanes} lanes ({@link MicroKernel#softmax}). */
        final float[] l;

        final float[] kt;
        final float[] s;
        final int[] keys;
        final int[] src;
        /** The rows of the current group. */
        final int[] rows;
        /** Covers of the register blocks of the current row group, by first row, made on demand. */
        final KeyCover[] blockCovers;

        Scratch(int queryTile, int keyTilePadded, int d, int blockRows, int lanes) {
            q = new float[queryTile * d];
            o = new float[queryTile * d];
            m = new float[queryTile];
            l = new float[queryTile * lanes];
            kt = new float[d * keyTilePadded];
            s = new float[blockRows * keyTilePadded];
            keys = new int[keyTilePadded];
            src = new int[keyTilePadded];
            rows = new int[queryTile];
            blockCovers = new KeyCover[queryTile];
        }
    }
}
