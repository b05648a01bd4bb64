package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile engine under every generated softmax kernel (the FlexAttention split: the
 * pattern's {@link PatternBinding} says <em>which</em> keys — {@code bind}, {@code cover},
 * {@code maskTile}; this class says <em>how</em> — tiles, register blocking, online softmax,
 * parallelism).
 *
 * <p>Per call: one {@link HeadBinding} per (batch item, head); then, in parallel over
 * batch × head × grains of query tiles (sequentially when the call is small), each query tile
 * of {@code queryTile·rowStride} rows is split into {@code rowStride} row groups of one
 * residue; for each group the binding's {@code cover} lists the key segments it may attend
 * (disjoint, so a key in two terms of a union is visited once), each full (no test) or partial
 * (the binding's {@code maskTile} tests each pair). Keys are gathered in chunks of at most
 * {@code keyTile}; K of a chunk is read in place from the head's K panels (contiguous chunks)
 * or gathered into a {@code [d, keyTile]} buffer, and serves every row of the group: scores
 * for 6 rows × 2 vectors at a time by broadcast FMA (in partial chunks, only the keys the 6
 * rows' own cover reaches), online softmax in log2 units with a lazily updated maximum and a
 * vector {@code exp2}, then {@code O += P·V} with 6 rows × 2 vectors of accumulators (4-row and
 * 1-row variants for the tail). Memory per worker thread is O(queryTile·d + d·keyTile), per
 * call the K panels (pooled); nothing of size n×n or n×w exists.
 *
 * <p>Padding: invalid keys are left out of the chunks, so their values are never read (they
 * may hold anything, NaN included); invalid query rows and rows that attend no key output 0.
 * With separate global projections, the global rows are recomputed afterwards from qg, kg,
 * vg over every valid key.
 *
 * <p>Thread-safe: per-call state lives in bindings and per-thread scratch buffers; the only
 * shared state is the binding's bounded cache of seeded random tables and a pool of K panels.
 */
public abstract class SparseAttentionKernel implements AttentionKernel {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    /** Rows of the wide register block (6 rows × 2 vectors = 12 accumulators), and of the narrow one. */
    private static final int WIDE = 6;
    private static final int ROWS = 4;
    /** Keys per panel of the head's transposed K ({@code [n/PANEL][d][PANEL]}): one register block of keys. */
    private static final int PANEL = 2 * L;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    /** How far a row's reference maximum may lag behind its true maximum, in log2 units (2^11 = 2048). */
    private static final float STALE_MAX = 11f;
    /** Below this many query rows in a call (B·H·n), run on the caller's thread. */
    private static final long PARALLEL_ROWS = 2048;
    private static final int MAX_POOLED_PANELS = 64;

    private final PatternBinding binding;
    private final int headDim;
    /** The softmax scale times log2(e): scores are kept in log2 units and exponentiated by {@code exp2}. */
    private final float scaleLog2;
    private final int queryTile;
    private final int keyTile;
    private final int grain;
    private final int globals;
    private final int keyTilePadded;
    private final ThreadLocal<Scratch> scratch;
    /**
     * K panel buffers of earlier calls, reused (at most {@link #MAX_POOLED_PANELS}): a kernel keeps
     * up to one call's panels between calls instead of allocating {@code B·H·n·d} floats each time.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<float[]> panelPool = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A generated kernel's schedule: query rows per tile, keys per chunk, query tiles per task. */
    public record Schedule(int queryTile, int keyTile, int grain) {
        public Schedule {
            if (queryTile < 1 || keyTile < 1 || grain < 1) {
                throw new IllegalArgumentException("bad kernel schedule " + queryTile + "/" + keyTile + "/" + grain);
            }
        }
    }

    protected SparseAttentionKernel(PatternBinding binding, Schedule schedule) {
        this.binding = binding;
        this.headDim = binding.headDim();
        this.scaleLog2 = (float) (binding.scale() * (1 / Math.log(2)));
        this.queryTile = schedule.queryTile();
        this.keyTile = schedule.keyTile();
        this.grain = schedule.grain();
        this.globals = binding.globals();
        this.keyTilePadded = (keyTile + 2 * L - 1) / (2 * L) * (2 * L);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(queryTile, keyTilePadded, headDim));
    }

    // ---- the kernel API -----------------------------------------------------------------

    @Override
    public final String name() {
        return binding.name();
    }

    @Override
    public final int headDim() {
        return headDim;
    }

    /** The pattern's host side: validation and the bindings of a call, as the other backends use it. */
    public final PatternBinding binding() {
        return binding;
    }

    /**
     * The bindings of a call, one per (batch item, head) at index {@code b·H + h}, after the
     * same validation as {@link #compute} ({@link PatternBinding#bindAll}).
     */
    public final HeadBinding[] bindAll(AttentionInputs in) {
        return binding.bindAll(in);
    }

    @Override
    public final void compute(AttentionInputs in, float[] out) {
        binding.validate(in);
        in.checkOutput(out);
        AttentionShape s = in.shape();
        int bh = s.batch() * s.heads();
        HeadBinding[] bindings = new HeadBinding[bh];
        int[] tilesOf = new int[bh];
        int tasks = 0;
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                HeadBinding c = binding.bindHead(in, b, h);
                long span = (long) queryTile * c.rowStride;
                int tiles = (int) ((s.length() + span - 1) / span);
                bindings[b * s.heads() + h] = c;
                tilesOf[b * s.heads() + h] = tiles;
                tasks += (tiles + grain - 1) / grain;
            }
        }
        int[] taskHead = new int[tasks];
        int[] taskTile = new int[tasks];
        int t = 0;
        for (int x = 0; x < bh; x++) {
            for (int tile = 0; tile < tilesOf[x]; tile += grain) {
                taskHead[t] = x;
                taskTile[t++] = tile;
            }
        }
        boolean parallel = (long) bh * s.length() >= PARALLEL_ROWS;
        // K of every head once into panels [n/PANEL][d][PANEL]: contiguous chunks read it in place.
        IntStream heads = IntStream.range(0, bh);
        (parallel ? heads.parallel() : heads).forEach(x -> bindings[x].kp = panels(bindings[x]));
        try {
            if (!parallel) {
                for (int k = 0; k < tasks; k++) {
                    runTask(bindings[taskHead[k]], taskTile[k], Math.min(tilesOf[taskHead[k]], taskTile[k] + grain), out);
                }
            } else {
                IntStream.range(0, tasks).parallel().forEach(k -> runTask(bindings[taskHead[k]], taskTile[k],
                        Math.min(tilesOf[taskHead[k]], taskTile[k] + grain), out));
            }
        } finally {
            for (HeadBinding c : bindings) {
                if (c.kp != null && panelPool.size() < MAX_POOLED_PANELS) {
                    panelPool.offer(c.kp);
                }
                c.kp = null;
            }
        }
    }

    /**
     * A panel buffer of at least {@code size} floats: one a previous call returned, or a new one.
     * Stale contents past {@code n} are harmless: scores of keys past a chunk are replaced by -∞.
     */
    private float[] takePanel(int size) {
        for (int tries = 0; tries < 4; tries++) {
            float[] b = panelPool.poll();
            if (b == null) {
                break;
            }
            if (b.length >= size && b.length <= 2L * size) {
                return b;
            }
        }
        return new float[size];
    }

    /** K of one (batch item, head) as panels of {@code PANEL} keys: {@code kp[(p·d + x)·PANEL + lane]}. */
    private float[] panels(HeadBinding c) {
        AttentionInputs in = c.in;
        AttentionShape shape = in.shape();
        int d = headDim;
        int tokenStride = in.layout() == TensorLayout.BHLD ? d : shape.heads() * d;
        int headBase = (int) in.layout().index(shape, c.batch, c.head, 0, 0);
        float[] k = in.k();
        int np = (c.n + PANEL - 1) / PANEL;
        float[] kp = takePanel(np * d * PANEL);
        for (int j = 0; j < c.n; j++) {
            int src = headBase + j * tokenStride;
            int dst = j / PANEL * d * PANEL + j % PANEL;
            for (int x = 0; x < d; x++) {
                kp[dst + x * PANEL] = k[src + x];
            }
        }
        return kp;
    }

    // ---- one task: a grain of query tiles of one (batch item, head) ----------------------

    private void runTask(HeadBinding c, int tileFrom, int tileTo, float[] out) {
        Scratch w = scratch.get();
        AttentionInputs in = c.in;
        int stride = c.rowStride;
        long span = (long) queryTile * stride;
        boolean separateGlobals = in.hasGlobalProjections() && globals > 0;
        for (int tile = tileFrom; tile < tileTo; tile++) {
            long base = tile * span;
            for (int res = 0; res < stride; res++) {
                long first = base + res;
                if (first >= c.n) {
                    break;
                }
                int count = (int) Math.min(queryTile, (c.n - 1 - first) / stride + 1);
                KeyCover cover = binding.cover(c, (int) first, stride, count);
                group(c, w, in.q(), in.k(), in.v(), (int) first, stride, count, cover, out);
                if (separateGlobals) {
                    for (int r = 0; r < count; r++) {
                        int i = (int) first + stride * r;
                        if (c.isGlobalRow(i) && in.isValid(c.batch, i)) {
                            group(c, w, in.qg(), in.kg(), in.vg(), i, 1, 1, KeyCover.all(c.n), out);
                        }
                    }
                }
            }
        }
    }

    /** Attention of one row group over the keys of {@code cover}; writes its output rows. */
    private void group(HeadBinding c, Scratch w, float[] q, float[] k, float[] v, int first, int stride, int count,
                       KeyCover cover, float[] out) {
        AttentionInputs in = c.in;
        AttentionShape shape = in.shape();
        TensorLayout lay = in.layout();
        int d = headDim;
        int tokenStride = lay == TensorLayout.BHLD ? d : shape.heads() * d;
        int headBase = (int) lay.index(shape, c.batch, c.head, 0, 0);
        // Q rows, pre-scaled; O, m, l cleared.
        float[] qs = w.q;
        for (int r = 0; r < count; r++) {
            int src = headBase + (first + stride * r) * tokenStride;
            for (int x = 0; x < d; x++) {
                qs[r * d + x] = q[src + x] * scaleLog2;
            }
        }
        java.util.Arrays.fill(w.o, 0, count * d, 0f);
        java.util.Arrays.fill(w.blockCovers, null);
        java.util.Arrays.fill(w.m, 0, count, NEG_INF);
        java.util.Arrays.fill(w.l, 0, count, 0f);
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
                    continue;   // padding keys are never read: their values may be anything, even NaN
                }
                if (nk > 0 && partial != chunkPartial && nk < keyTile && j == keys[nk - 1] + 1 && j % PANEL != 0) {
                    // Keep chunk boundaries on panel boundaries, so that full chunks read K in
                    // place: a partial chunk takes the full keys up to the next boundary (they
                    // are tested, and pass) ...
                    if (chunkPartial) {
                        keys[nk++] = j;
                        continue;
                    }
                    // ... and a full chunk hands its keys past the last boundary to the partial one.
                    int cut = nk - 1;
                    while (cut > 0 && keys[cut] % PANEL != 0) {
                        cut--;
                    }
                    if (cut > 0 && keys[nk - 1] - keys[cut] == nk - 1 - cut) {
                        chunk(c, w, k, v, headBase, tokenStride, first, stride, count, cut, false);
                        System.arraycopy(keys, cut, keys, 0, nk - cut);
                        nk -= cut;
                        chunkPartial = true;
                        keys[nk++] = j;
                        continue;
                    }
                }
                if (nk > 0 && (nk == keyTile || partial != chunkPartial)) {
                    chunk(c, w, k, v, headBase, tokenStride, first, stride, count, nk, chunkPartial);
                    nk = 0;
                }
                chunkPartial = partial;
                keys[nk++] = j;
            }
        }
        if (nk > 0) {
            chunk(c, w, k, v, headBase, tokenStride, first, stride, count, nk, chunkPartial);
        }
        for (int r = 0; r < count; r++) {
            int i = first + stride * r;
            int dst = headBase + i * tokenStride;
            float l = w.l[r];
            if (l == 0f || !in.isValid(c.batch, i)) {
                java.util.Arrays.fill(out, dst, dst + d, 0f);
            } else {
                float inv = 1f / l;
                for (int x = 0; x < d; x++) {
                    out[dst + x] = w.o[r * d + x] * inv;
                }
            }
        }
    }

    /** One chunk of {@code nk} keys ({@code w.keys}) against every row of the group. */
    private void chunk(HeadBinding c, Scratch w, float[] k, float[] v, int headBase, int tokenStride, int first,
                       int stride, int count, int nk, boolean partial) {
        int d = headDim;
        int ld = keyTilePadded;
        int nkp = (nk + 2 * L - 1) / (2 * L) * (2 * L);
        int[] keys = w.keys;
        // K of the chunk as [d, keys]: read in place from the head's K panels when the keys are
        // contiguous and start on a panel; else gathered into the scratch buffer.
        float[] kt;
        int kOff;
        int blockStride;
        int xStride;
        if (k == c.in.k() && keys[nk - 1] - keys[0] == nk - 1 && keys[0] % PANEL == 0) {
            kt = c.kp;
            kOff = keys[0] / PANEL * d * PANEL;
            blockStride = d * PANEL;
            xStride = PANEL;
        } else {
            kt = w.kt;
            kOff = 0;
            blockStride = PANEL;
            xStride = ld;
            int[] src = w.src;
            for (int t = 0; t < nk; t++) {
                src[t] = headBase + keys[t] * tokenStride;
            }
            for (int x = 0; x < d; x++) {
                int row = x * ld;
                for (int t = 0; t < nk; t++) {
                    kt[row + t] = k[src[t] + x];
                }
            }
        }
        float[] sc = w.s;
        boolean contiguous = keys[nk - 1] - keys[0] == nk - 1;
        for (int r0 = 0; r0 < count; ) {
            int left = count - r0;
            int rows = left >= WIDE ? WIDE : left >= ROWS ? ROWS : left;
            // The keys of this chunk that this register block may attend: in partial contiguous
            // chunks (window edges) the block's own cover narrows them, so that the masked
            // half of an edge chunk is not computed.
            int tFrom = 0;
            int tTo = nkp;
            if (partial && contiguous) {
                KeyCover rc = w.blockCovers[r0];
                if (rc == null) {
                    rc = binding.cover(c, first + stride * r0, stride, rows);
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
                if (b < a) {
                    r0 += rows;
                    continue;
                }
                tFrom = (a - lo) / (2 * L) * (2 * L);
                tTo = Math.min(nkp, (b - lo + 2 * L) / (2 * L) * (2 * L));
            }
            if (rows == WIDE) {
                scores6(w.q, r0 * d, kt, kOff, blockStride, xStride, tFrom, tTo, sc, ld);
            } else if (rows == ROWS) {
                scores4(w.q, r0 * d, kt, kOff, blockStride, xStride, tFrom, tTo, sc, ld);
            } else {
                scores1(w.q, r0 * d, rows, kt, kOff, blockStride, xStride, tFrom, tTo, sc, ld);
            }
            if (tTo > nk) {
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(sc, r * ld + Math.max(nk, tFrom), r * ld + tTo, NEG_INF);
                }
            }
            if (partial) {
                binding.maskTile(c, first, stride, r0, rows, keys, tFrom, Math.min(nk, tTo), sc, ld);
            }
            for (int r = 0; r < rows; r++) {
                softmaxStep(w, r0 + r, sc, r * ld + tFrom, tTo - tFrom);
            }
            int tEnd = Math.min(nk, tTo);
            if (rows == WIDE) {
                pv6(w.o, r0 * d, sc, ld, v, headBase, tokenStride, keys, tFrom, tEnd);
            } else if (rows == ROWS) {
                pv4(w.o, r0 * d, sc, ld, v, headBase, tokenStride, keys, tFrom, tEnd);
            } else {
                pv1(w.o, r0 * d, rows, sc, ld, v, headBase, tokenStride, keys, tFrom, tEnd);
            }
            r0 += rows;
        }
    }

    // ---- micro-kernels ------------------------------------------------------------------

    /** {@code sc[r·ld + t] = q[r]·kt[·, t]} for 6 rows, 2 vectors of keys at a time (12 accumulators). */
    private void scores6(float[] q, int qOff, float[] kt, int kOff, int blockStride, int xStride, int tFrom, int tTo,
                         float[] sc, int ld) {
        int d = headDim;
        int q1 = qOff + d;
        int q2 = q1 + d;
        int q3 = q2 + d;
        int q4 = q3 + d;
        int q5 = q4 + d;
        for (int t = tFrom; t < tTo; t += 2 * L) {
            int kb = kOff + t / (2 * L) * blockStride;
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S);
            FloatVector a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S);
            FloatVector a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S);
            FloatVector a31 = FloatVector.zero(S);
            FloatVector a40 = FloatVector.zero(S);
            FloatVector a41 = FloatVector.zero(S);
            FloatVector a50 = FloatVector.zero(S);
            FloatVector a51 = FloatVector.zero(S);
            for (int x = 0; x < d; x++) {
                int kk = kb + x * xStride;
                FloatVector k0 = FloatVector.fromArray(S, kt, kk);
                FloatVector k1 = FloatVector.fromArray(S, kt, kk + L);
                FloatVector b = FloatVector.broadcast(S, q[qOff + x]);
                a00 = b.fma(k0, a00);
                a01 = b.fma(k1, a01);
                b = FloatVector.broadcast(S, q[q1 + x]);
                a10 = b.fma(k0, a10);
                a11 = b.fma(k1, a11);
                b = FloatVector.broadcast(S, q[q2 + x]);
                a20 = b.fma(k0, a20);
                a21 = b.fma(k1, a21);
                b = FloatVector.broadcast(S, q[q3 + x]);
                a30 = b.fma(k0, a30);
                a31 = b.fma(k1, a31);
                b = FloatVector.broadcast(S, q[q4 + x]);
                a40 = b.fma(k0, a40);
                a41 = b.fma(k1, a41);
                b = FloatVector.broadcast(S, q[q5 + x]);
                a50 = b.fma(k0, a50);
                a51 = b.fma(k1, a51);
            }
            a00.intoArray(sc, t);
            a01.intoArray(sc, t + L);
            a10.intoArray(sc, ld + t);
            a11.intoArray(sc, ld + t + L);
            a20.intoArray(sc, 2 * ld + t);
            a21.intoArray(sc, 2 * ld + t + L);
            a30.intoArray(sc, 3 * ld + t);
            a31.intoArray(sc, 3 * ld + t + L);
            a40.intoArray(sc, 4 * ld + t);
            a41.intoArray(sc, 4 * ld + t + L);
            a50.intoArray(sc, 5 * ld + t);
            a51.intoArray(sc, 5 * ld + t + L);
        }
    }

    /** {@code o[r] += Σ_t p[r][t]·v[keys[t]]} for 6 rows, 2 vectors of the head dim at a time. */
    private void pv6(float[] o, int oOff, float[] p, int ld, float[] v, int headBase, int tokenStride, int[] keys,
                     int tFrom, int nk) {
        int d = headDim;
        int o1 = oOff + d;
        int o2 = o1 + d;
        int o3 = o2 + d;
        int o4 = o3 + d;
        int o5 = o4 + d;
        int x = 0;
        for (; x + 2 * L <= d; x += 2 * L) {
            FloatVector c00 = FloatVector.fromArray(S, o, oOff + x);
            FloatVector c01 = FloatVector.fromArray(S, o, oOff + x + L);
            FloatVector c10 = FloatVector.fromArray(S, o, o1 + x);
            FloatVector c11 = FloatVector.fromArray(S, o, o1 + x + L);
            FloatVector c20 = FloatVector.fromArray(S, o, o2 + x);
            FloatVector c21 = FloatVector.fromArray(S, o, o2 + x + L);
            FloatVector c30 = FloatVector.fromArray(S, o, o3 + x);
            FloatVector c31 = FloatVector.fromArray(S, o, o3 + x + L);
            FloatVector c40 = FloatVector.fromArray(S, o, o4 + x);
            FloatVector c41 = FloatVector.fromArray(S, o, o4 + x + L);
            FloatVector c50 = FloatVector.fromArray(S, o, o5 + x);
            FloatVector c51 = FloatVector.fromArray(S, o, o5 + x + L);
            for (int t = tFrom; t < nk; t++) {
                int vv = headBase + keys[t] * tokenStride + x;
                FloatVector v0 = FloatVector.fromArray(S, v, vv);
                FloatVector v1 = FloatVector.fromArray(S, v, vv + L);
                FloatVector b = FloatVector.broadcast(S, p[t]);
                c00 = b.fma(v0, c00);
                c01 = b.fma(v1, c01);
                b = FloatVector.broadcast(S, p[ld + t]);
                c10 = b.fma(v0, c10);
                c11 = b.fma(v1, c11);
                b = FloatVector.broadcast(S, p[2 * ld + t]);
                c20 = b.fma(v0, c20);
                c21 = b.fma(v1, c21);
                b = FloatVector.broadcast(S, p[3 * ld + t]);
                c30 = b.fma(v0, c30);
                c31 = b.fma(v1, c31);
                b = FloatVector.broadcast(S, p[4 * ld + t]);
                c40 = b.fma(v0, c40);
                c41 = b.fma(v1, c41);
                b = FloatVector.broadcast(S, p[5 * ld + t]);
                c50 = b.fma(v0, c50);
                c51 = b.fma(v1, c51);
            }
            c00.intoArray(o, oOff + x);
            c01.intoArray(o, oOff + x + L);
            c10.intoArray(o, o1 + x);
            c11.intoArray(o, o1 + x + L);
            c20.intoArray(o, o2 + x);
            c21.intoArray(o, o2 + x + L);
            c30.intoArray(o, o3 + x);
            c31.intoArray(o, o3 + x + L);
            c40.intoArray(o, o4 + x);
            c41.intoArray(o, o4 + x + L);
            c50.intoArray(o, o5 + x);
            c51.intoArray(o, o5 + x + L);
        }
        if (x < d) {
            pvTail(o, oOff, WIDE, p, ld, v, headBase, tokenStride, keys, tFrom, nk, x);
        }
    }

    /** {@code sc[r·ld + t] = q[r]·kt[·, t]} for 4 rows, 2 vectors of keys at a time. */
    private void scores4(float[] q, int qOff, float[] kt, int kOff, int blockStride, int xStride, int tFrom, int tTo,
                         float[] sc, int ld) {
        int d = headDim;
        int q1 = qOff + d;
        int q2 = q1 + d;
        int q3 = q2 + d;
        for (int t = tFrom; t < tTo; t += 2 * L) {
            int kb = kOff + t / (2 * L) * blockStride;
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S);
            FloatVector a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S);
            FloatVector a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S);
            FloatVector a31 = FloatVector.zero(S);
            for (int x = 0; x < d; x++) {
                int kk = kb + x * xStride;
                FloatVector k0 = FloatVector.fromArray(S, kt, kk);
                FloatVector k1 = FloatVector.fromArray(S, kt, kk + L);
                FloatVector b0 = FloatVector.broadcast(S, q[qOff + x]);
                a00 = b0.fma(k0, a00);
                a01 = b0.fma(k1, a01);
                FloatVector b1 = FloatVector.broadcast(S, q[q1 + x]);
                a10 = b1.fma(k0, a10);
                a11 = b1.fma(k1, a11);
                FloatVector b2 = FloatVector.broadcast(S, q[q2 + x]);
                a20 = b2.fma(k0, a20);
                a21 = b2.fma(k1, a21);
                FloatVector b3 = FloatVector.broadcast(S, q[q3 + x]);
                a30 = b3.fma(k0, a30);
                a31 = b3.fma(k1, a31);
            }
            a00.intoArray(sc, t);
            a01.intoArray(sc, t + L);
            a10.intoArray(sc, ld + t);
            a11.intoArray(sc, ld + t + L);
            a20.intoArray(sc, 2 * ld + t);
            a21.intoArray(sc, 2 * ld + t + L);
            a30.intoArray(sc, 3 * ld + t);
            a31.intoArray(sc, 3 * ld + t + L);
        }
    }

    /** Scores for fewer than 4 rows (the tail of a group). */
    private void scores1(float[] q, int qOff, int rows, float[] kt, int kOff, int blockStride, int xStride, int tFrom,
                         int tTo, float[] sc, int ld) {
        int d = headDim;
        for (int r = 0; r < rows; r++) {
            int qr = qOff + r * d;
            for (int t = tFrom; t < tTo; t += 2 * L) {
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                for (int x = 0; x < d; x++) {
                    FloatVector b = FloatVector.broadcast(S, q[qr + x]);
                    int kk = kOff + t / (2 * L) * blockStride + x * xStride;
                    a0 = b.fma(FloatVector.fromArray(S, kt, kk), a0);
                    a1 = b.fma(FloatVector.fromArray(S, kt, kk + L), a1);
                }
                a0.intoArray(sc, r * ld + t);
                a1.intoArray(sc, r * ld + t + L);
            }
        }
    }

    /**
     * The online-softmax step of row {@code row} over one chunk: new running max, rescale of
     * the running sum and of the row's output accumulator, and the chunk's probabilities
     * (unnormalised) left in {@code sc} for {@code P·V}.
     */
    private void softmaxStep(Scratch w, int row, float[] sc, int off, int nkp) {
        FloatVector mx = FloatVector.broadcast(S, NEG_INF);
        for (int t = 0; t < nkp; t += L) {
            mx = mx.max(FloatVector.fromArray(S, sc, off + t));
        }
        float chunkMax = mx.reduceLanes(VectorOperators.MAX);
        float old = w.m[row];
        float m = old;
        // Lazy rescaling: the reference maximum moves only when the chunk's maximum exceeds it
        // by more than STALE_MAX, so most chunks skip the rescale of l and of the row's
        // accumulator; probabilities stay below e^STALE_MAX (no overflow in fp32).
        if (chunkMax > old + STALE_MAX || (old == NEG_INF && chunkMax != NEG_INF)) {
            m = chunkMax;
            float alpha = VectorMath.exp2(old - m);
            w.l[row] *= alpha;
            w.m[row] = m;
            int d = headDim;
            int o = row * d;
            int x = 0;
            for (; x + L <= d; x += L) {
                FloatVector.fromArray(S, w.o, o + x).mul(alpha).intoArray(w.o, o + x);
            }
            for (; x < d; x++) {
                w.o[o + x] *= alpha;
            }
        }
        if (m == NEG_INF) {
            java.util.Arrays.fill(sc, off, off + nkp, 0f);
            return;
        }
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector sum = FloatVector.zero(S);
        for (int t = 0; t < nkp; t += L) {
            FloatVector p = VectorMath.exp2(FloatVector.fromArray(S, sc, off + t).sub(mv));
            p.intoArray(sc, off + t);
            sum = sum.add(p);
        }
        w.l[row] += sum.reduceLanes(VectorOperators.ADD);
    }

    /** {@code o[r] += Σ_t p[r][t]·v[keys[t]]} for 4 rows, 2 vectors of the head dim at a time. */
    private void pv4(float[] o, int oOff, float[] p, int ld, float[] v, int headBase, int tokenStride, int[] keys,
                     int tFrom, int nk) {
        int d = headDim;
        int o1 = oOff + d;
        int o2 = o1 + d;
        int o3 = o2 + d;
        int x = 0;
        for (; x + 2 * L <= d; x += 2 * L) {
            FloatVector c00 = FloatVector.fromArray(S, o, oOff + x);
            FloatVector c01 = FloatVector.fromArray(S, o, oOff + x + L);
            FloatVector c10 = FloatVector.fromArray(S, o, o1 + x);
            FloatVector c11 = FloatVector.fromArray(S, o, o1 + x + L);
            FloatVector c20 = FloatVector.fromArray(S, o, o2 + x);
            FloatVector c21 = FloatVector.fromArray(S, o, o2 + x + L);
            FloatVector c30 = FloatVector.fromArray(S, o, o3 + x);
            FloatVector c31 = FloatVector.fromArray(S, o, o3 + x + L);
            for (int t = tFrom; t < nk; t++) {
                int vv = headBase + keys[t] * tokenStride + x;
                FloatVector v0 = FloatVector.fromArray(S, v, vv);
                FloatVector v1 = FloatVector.fromArray(S, v, vv + L);
                FloatVector b0 = FloatVector.broadcast(S, p[t]);
                c00 = b0.fma(v0, c00);
                c01 = b0.fma(v1, c01);
                FloatVector b1 = FloatVector.broadcast(S, p[ld + t]);
                c10 = b1.fma(v0, c10);
                c11 = b1.fma(v1, c11);
                FloatVector b2 = FloatVector.broadcast(S, p[2 * ld + t]);
                c20 = b2.fma(v0, c20);
                c21 = b2.fma(v1, c21);
                FloatVector b3 = FloatVector.broadcast(S, p[3 * ld + t]);
                c30 = b3.fma(v0, c30);
                c31 = b3.fma(v1, c31);
            }
            c00.intoArray(o, oOff + x);
            c01.intoArray(o, oOff + x + L);
            c10.intoArray(o, o1 + x);
            c11.intoArray(o, o1 + x + L);
            c20.intoArray(o, o2 + x);
            c21.intoArray(o, o2 + x + L);
            c30.intoArray(o, o3 + x);
            c31.intoArray(o, o3 + x + L);
        }
        if (x < d) {
            pvTail(o, oOff, ROWS, p, ld, v, headBase, tokenStride, keys, tFrom, nk, x);
        }
    }

    /** {@code P·V} for fewer than 4 rows. */
    private void pv1(float[] o, int oOff, int rows, float[] p, int ld, float[] v, int headBase, int tokenStride,
                     int[] keys, int tFrom, int nk) {
        pvTail(o, oOff, rows, p, ld, v, headBase, tokenStride, keys, tFrom, nk, 0);
    }

    /** {@code P·V} over head-dim columns {@code from..d}: one vector at a time, then scalars. */
    private void pvTail(float[] o, int oOff, int rows, float[] p, int ld, float[] v, int headBase, int tokenStride,
                        int[] keys, int tFrom, int nk, int from) {
        int d = headDim;
        for (int r = 0; r < rows; r++) {
            int or = oOff + r * d;
            int pr = r * ld;
            int x = from;
            for (; x + L <= d; x += L) {
                FloatVector acc = FloatVector.fromArray(S, o, or + x);
                for (int t = tFrom; t < nk; t++) {
                    acc = FloatVector.broadcast(S, p[pr + t])
                            .fma(FloatVector.fromArray(S, v, headBase + keys[t] * tokenStride + x), acc);
                }
                acc.intoArray(o, or + x);
            }
            for (; x < d; x++) {
                float acc = o[or + x];
                for (int t = tFrom; t < nk; t++) {
                    acc = Math.fma(p[pr + t], v[headBase + keys[t] * tokenStride + x], acc);
                }
                o[or + x] = acc;
            }
        }
    }

    /** Per-thread buffers, O(queryTile·d + d·keyTile). */
    private static final class Scratch {
        final float[] q;
        final float[] o;
        final float[] m;
        final float[] l;
        final float[] kt;
        final float[] s;
        final int[] keys;
        final int[] src;
        /** Covers of the register blocks of the current row group, by first row, made on demand. */
        final KeyCover[] blockCovers;

        Scratch(int queryTile, int keyTilePadded, int d) {
            q = new float[queryTile * d];
            o = new float[queryTile * d];
            m = new float[queryTile];
            l = new float[queryTile];
            kt = new float[d * keyTilePadded];
            s = new float[WIDE * keyTilePadded];
            keys = new int[keyTilePadded];
            src = new int[keyTilePadded];
            blockCovers = new KeyCover[queryTile];
        }
    }
}
