// attnc_softmax.cuh: the CUDA engine under every generated softmax kernel.
//
// The split is the Java backend's (docs/CUDA_BACKEND.md): a generated .cu says WHICH keys a
// pattern attends (a struct with cover() and mask(), printed from the loop IR), this header
// says HOW. It is written beside the generated .cu files with attnc_mma.cuh and compiles
// unchanged with nvcc (sm_75 .. sm_90) and with g++ under the CPU emulation header attnc_emu.h.
//
// k, v (and kg, vg) hold bind[13] heads (grouped-query attention; 0 means H): head h reads kv
// head h / (H / G), through a second Layout (kvLay). The fp32 path reads the kv token stride
// from shared memory (bk.kvToken): one more live register spills at 128 (ptxas 13.0, sm_90).
//
// Launch: grid (bind[7], H, B), block Shape<D, TENSOR>::THREADS, Shape::SMEM_BYTES of dynamic
// shared memory (fp16/bf16; the host opts in above 48 KB), work = the split-K workspace.
//
// Two kinds of blocks (docs/CUDA_BACKEND.md, "Kernel design"):
//  * Row blocks (blockIdx.x < bind[9]) take the row group first + stride·r (r < QT) of head
//    blockIdx.y, batch item blockIdx.z, WITHOUT the rows of global sets. Their key cover is a
//    few segments (window arithmetic, global keys, random blocks), each full or partial.
//  * Global blocks (the rest) take QT rows of the head's global sets (in order) and one key
//    split of KSPLIT keys: every key, with the pattern's mask (or, with separate global
//    projections qg/kg/vg, every valid key through those). Each writes its rows' partial
//    (max, sum, O) to the workspace; the last block of a row group to finish (a ticket counter)
//    merges the splits in split order, so the result does not depend on scheduling. A global
//    row thus costs n/KSPLIT blocks of the same size as a row block, not one block n keys long.
//
// The key chunks of a block come from its cover: warp 0 turns the next KT keys into a list in
// shared memory (32 candidates a ballot, padding keys left out by a prefix count), one chunk
// ahead of the compute. fp16/bf16 (tensor cores, FlashAttention-2 style): K and V rows of the
// next chunk are copied with cp.async into the other of two padded buffers while the current
// chunk is computed; each warp owns 16 query rows; S = Q·Kᵀ with mma.sync m16n8k16 (fp32
// accumulators in registers), the generated mask on partial chunks only, the online softmax in
// log2 units on the accumulator fragments (row max and sum across the four lanes of a row by
// shuffles), P converted in registers into the A operand of O += P·V. fp32 (CUDA cores): one
// lane per key for S, O in registers, K then V staged in one static buffer.
#pragma once

#ifndef ATTNC_EMU
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#endif
#include "attnc_mma.cuh"

namespace attnc {

constexpr int MAGIC = 0x32545441;   // 'ATT2'
constexpr int CAP = 48;             // segments a cover holds; more collapse into one partial tail
constexpr int KSPLIT = 512;         // keys of one global block (CudaShape.KEY_SPLIT)
constexpr float NEG_INF = -INFINITY;

// ---- the binding (dev.attnc.runtime.cuda.CudaBinding) --------------------------------------

/** Sorted disjoint runs of global tokens [start, end], then a bitmap of the set over 0..n-1. */
struct Runs {
    const int* w;   // w[0] = count, then start, end pairs, then ceil(n / 32) bitmap words
    __device__ int count() const { return w[0]; }
    __device__ int start(int k) const { return w[1 + 2 * k]; }
    __device__ int end(int k) const { return w[2 + 2 * k]; }
    /** Whether token i (0 <= i < n) is in the set: one bit, no search. */
    __device__ bool contains(int i) const { return (w[1 + 2 * w[0] + (i >> 5)] >> (i & 31)) & 1; }
    __device__ unsigned word(int x) const { return (unsigned) w[1 + 2 * w[0] + x]; }
};

/** Key blocks of each query block (sorted). */
struct Table {
    const int* w;   // w[0] = nb, w[1 .. nb+1] = starts, then entries
    __device__ int blocks() const { return w[0]; }
    __device__ int count(int qb) const { return qb < 0 || qb >= w[0] ? 0 : w[2 + qb] - w[1 + qb]; }
    __device__ int key(int qb, int t) const { return w[2 + w[0] + w[1 + qb] + t]; }
    __device__ bool has(int qb, int kb) const {
        int c = count(qb);
        for (int t = 0; t < c; t++) {
            if (key(qb, t) == kb) return true;
        }
        return false;
    }
};

/**
 * The segments of a batch item (segments from input): S segments, R runs; runs of segment s are
 * firstRun(s) .. firstRun(s+1)-1, increasing; of(i) is token i's segment (0 .. S-1).
 */
struct Segs {
    const int* w;   // w[0] = S, w[1] = R, w[2 .. 2+S] = firstRun, then R (start, end) pairs, then n segments
    __device__ int count() const { return w[0]; }
    __device__ int firstRun(int s) const { return w[2 + s]; }
    __device__ int runStart(int r) const { return w[3 + w[0] + 2 * r]; }
    __device__ int runEnd(int r) const { return w[4 + w[0] + 2 * r]; }
    __device__ int of(int i) const { return w[3 + w[0] + 2 * w[1] + i]; }
    __device__ bool same(int i, int j) const { return of(i) == of(j); }
};

/** The binding of one (batch item, head). */
struct Head {
    const int* bind;
    const int* rec;
    int n, batch, head, record;
    __device__ Head(const int* b, int batchItem, int h) : bind(b), n(b[3]), batch(batchItem), head(h) {
        // rowStride, p[P], g[G], r[R], then (words appended at the end) the segments offset
        record = 1 + b[4] + b[5] + b[6] + (b[14] != 0 ? 1 : 0);
        rec = b + b[8] + (batchItem * b[2] + h) * record;
    }
    /** The batch item's segments: the last word of the record (header word 14 set). */
    __device__ Segs seg() const { return Segs{bind + rec[record - 1]}; }
    __device__ int stride() const { return rec[0]; }
    __device__ int p(int k) const { return rec[1 + k]; }
    __device__ Runs g(int k) const { return Runs{bind + rec[1 + bind[4] + k]}; }
    __device__ Table r(int k) const { return Table{bind + rec[1 + bind[4] + bind[5] + k]}; }
    __device__ int globals() const { return bind[5]; }
    __device__ bool isGlobalRow(int i) const {
        for (int k = 0; k < bind[5]; k++) {
            if (g(k).contains(i)) return true;
        }
        return false;
    }
    /** Bits 32x .. 32x+31 of the union of the head's global sets. */
    __device__ unsigned globalWord(int x) const {
        unsigned u = 0;
        for (int k = 0; k < bind[5]; k++) u |= g(k).word(x);
        return u;
    }
};

// ---- key covers (a port of dev.attnc.runtime.kernel.KeyCover) -----------------------------

/** Sorted key segments lo, lo+stride, ..., hi with disjoint hulls; full: every row attends every key. */
struct Cover {
    int size;
    int lo[CAP], hi[CAP], st[CAP];
    bool full[CAP];

    __device__ void clear() { size = 0; }
    /** Appends in increasing order, merging compatible neighbours; past CAP, one partial tail. */
    __device__ void add(long long a, long long z, int s, bool f) {
        if (a > z) return;
        if (size > 0) {
            int k = size - 1;
            if (st[k] == s && full[k] == f && hi[k] + (long long) s == a) { hi[k] = (int) z; return; }
            if (size == CAP) {   // conservative: a superset, tested pair by pair
                st[k] = 1;
                full[k] = false;
                if (z > hi[k]) hi[k] = (int) z;
                return;
            }
        }
        lo[size] = (int) a; hi[size] = (int) z; st[size] = s; full[size] = f; size++;
    }
};

__device__ inline long long ceilDiv(long long x, long long y) { return (x + y - 1) / y; }
__device__ inline int floorMod(long long x, int y) { long long m = x % y; return (int) (m < 0 ? m + y : m); }

__device__ inline void all(Cover& c, int n) { c.clear(); c.add(0, n - 1, 1, true); }

__device__ inline void window(Cover& c, int n, int first, int rowStride, int rows, int before, int after, int dil) {
    c.clear();
    long long last = first + (long long) rowStride * (rows - 1);
    long long d = dil;
    if (rowStride % dil != 0) {
        c.add(first - d * before < 0 ? 0 : first - d * before, last + d * after > n - 1 ? n - 1 : last + d * after, 1, false);
        return;
    }
    long long a = first - d * before, z = last + d * after;
    if (a < 0) a += ceilDiv(-a, d) * d;
    if (z > n - 1) z -= ceilDiv(z - (n - 1), d) * d;
    if (a > z) return;
    long long fa = a > last - d * before ? a : last - d * before;
    long long fz = z < first + d * after ? z : first + d * after;
    if (fa > fz) {
        c.add(a, z, dil, false);
    } else {
        c.add(a, fa - d, dil, false);
        c.add(fa, fz, dil, true);
        c.add(fz + d, z, dil, false);
    }
}

__device__ inline void blockWindow(Cover& c, int n, int first, int rowStride, int rows, int block, int before, int after) {
    c.clear();
    long long last = first + (long long) rowStride * (rows - 1);
    long long qf = first / block, ql = last / block;
    long long a = (qf - before) * block; if (a < 0) a = 0;
    long long z = (ql + after + 1) * block - 1; if (z > n - 1) z = n - 1;
    if (a > z) return;
    long long fa = (ql - before) * block; if (fa < a) fa = a;
    long long fz = (qf + after + 1) * block - 1; if (fz > z) fz = z;
    if (fa > fz) {
        c.add(a, z, 1, false);
    } else {
        c.add(a, fa - 1, 1, false);
        c.add(fa, fz, 1, true);
        c.add(fz + 1, z, 1, false);
    }
}

__device__ inline void causal(Cover& c, int n, int first, int rowStride, int rows) {
    c.clear();
    long long last = first + (long long) rowStride * (rows - 1);
    c.add(0, first, 1, true);
    c.add(first + 1LL, last < n - 1 ? last : n - 1, 1, false);
}

/**
 * The global term of a row group: the keys of the global set, attended by every row. The
 * set's own rows (which attend every key) are not in any row group: the engine computes them
 * in split-K blocks of their own (see softmaxAttention), so the group's cover needs only the
 * global keys, full.
 */
__device__ inline void global(Cover& c, int n, int first, int rowStride, int rows, Runs g) {
    (void) first; (void) rowStride; (void) rows;
    c.clear();
    for (int k = 0; k < g.count(); k++) {
        if (g.start(k) > n - 1) break;
        c.add(g.start(k), g.end(k) < n - 1 ? g.end(k) : n - 1, 1, true);
    }
}

/** 'keys S', one range of S: the keys lo .. hi - 1 (clamped to 0..n-1), full (KeyCover.keyRange). */
__device__ inline void keyRange(Cover& c, int n, long long lo, long long hi) {
    c.clear();
    c.add(lo < 0 ? 0 : lo, (hi > n ? n : hi) - 1, 1, true);
}

/**
 * 'queries S', one range of S: the rows in lo .. hi - 1 attend every key; full when every row of
 * the group is in the range, partial when some are, empty when none is (KeyCover.queryRange).
 */
__device__ inline void queryRange(Cover& c, int n, int first, int rowStride, int rows, long long lo, long long hi) {
    c.clear();
    long long s = rowStride;
    // t with lo <= first + s·t < hi: ceil((lo - first) / s) .. ceil((hi - first) / s) - 1
    long long a = lo - first, z = hi - first;
    long long tMin = a > 0 ? (a + s - 1) / s : -((-a) / s);
    long long tMax = (z > 0 ? (z + s - 1) / s : -((-z) / s)) - 1;
    if (tMin < 0) tMin = 0;
    if (tMax > rows - 1) tMax = rows - 1;
    if (tMax < tMin) return;
    c.add(0, n - 1, 1, tMax - tMin + 1 == rows);
}

__device__ inline void random(Cover& c, int n, int first, int rowStride, int rows, int block, Table t) {
    c.clear();
    long long last = first + (long long) rowStride * (rows - 1);
    int qf = first / block, ql = (int) (last / block);
    if (qf == ql) {
        for (int x = 0; x < t.count(qf); x++) {
            long long kb = t.key(qf, x);
            c.add(kb * block, (kb + 1) * block - 1 < n - 1 ? (kb + 1) * block - 1 : n - 1, 1, true);
        }
        return;
    }
    // Several query blocks: the union of their key blocks in increasing order, partial.
    int prev = -1;
    while (true) {
        int best = 0x7fffffff;
        for (int qb = qf; qb <= ql; qb++) {
            for (int x = 0; x < t.count(qb); x++) {
                int kb = t.key(qb, x);
                if (kb > prev && kb < best) best = kb;
            }
        }
        if (best == 0x7fffffff) break;
        long long z = (best + 1LL) * block - 1;
        c.add((long long) best * block, z < n - 1 ? z : n - 1, 1, false);
        prev = best;
    }
}

/**
 * seg[i] == seg[j]: the runs of the segments of the group's rows only (KeyCover.segments), full
 * when every row is in one segment. Several segments: their runs merged in increasing order,
 * partial (each step takes the least run start above the last one over the rows' segments).
 */
__device__ inline void segments(Cover& c, int n, int first, int rowStride, int rows, Segs s) {
    c.clear();
    int last = first + rowStride * (rows - 1);
    if (last > n - 1) last = first + rowStride * ((n - 1 - first) / rowStride);
    if (first > n - 1) return;
    int s0 = s.of(first);
    bool one = true;
    for (int i = first + rowStride; i <= last && one; i += rowStride) one = s.of(i) == s0;
    if (one) {
        for (int r = s.firstRun(s0); r < s.firstRun(s0 + 1); r++) c.add(s.runStart(r), s.runEnd(r), 1, true);
        return;
    }
    int prev = -1;
    while (true) {
        int bestRun = -1;
        for (int i = first; i <= last; i += rowStride) {
            int sg = s.of(i);
            int a = s.firstRun(sg), z = s.firstRun(sg + 1);   // first run of sg starting after prev
            while (a < z) {
                int m = (a + z) >> 1;
                if (s.runStart(m) > prev) z = m; else a = m + 1;
            }
            if (a < s.firstRun(sg + 1) && (bestRun < 0 || s.runStart(a) < s.runStart(bestRun))) bestRun = a;
        }
        if (bestRun < 0) break;
        if (c.size == CAP) {   // the rest as one partial tail, as Cover::add would make it
            int end = s.runEnd(bestRun);
            for (int i = first; i <= last; i += rowStride) {
                int lastRun = s.firstRun(s.of(i) + 1) - 1;
                if (s.runEnd(lastRun) > end) end = s.runEnd(lastRun);
            }
            c.add(s.runStart(bestRun), end, 1, false);
            break;
        }
        c.add(s.runStart(bestRun), s.runEnd(bestRun), 1, false);
        prev = s.runStart(bestRun);
    }
}

__device__ inline bool within(const Cover& x, int s, const Cover& y, int t) {
    return x.st[s] % y.st[t] == 0 && floorMod((long long) x.lo[s] - y.lo[t], y.st[t]) == 0;
}

__device__ inline void piece(Cover& out, int p, int q, const Cover& c, int s, bool full) {
    int st = c.st[s];
    long long first = p + floorMod((long long) c.lo[s] - p, st);
    long long last = q - floorMod((long long) q - c.lo[s], st);
    out.add(first, last, st, full);
}

enum Op { UNION, INTERSECT, DIFFERENCE };

/** out = a op b by a sweep over both lists' breakpoints (each list's are already sorted). */
__device__ inline void sweep(Cover& out, const Cover& a, const Cover& b, Op op) {
    out.clear();
    if (op == UNION && b.size == 0) { out = a; return; }
    if (op == UNION && a.size == 0) { out = b; return; }
    if (op == INTERSECT && (a.size == 0 || b.size == 0)) return;
    if (op == DIFFERENCE && (a.size == 0 || b.size == 0)) { out = a; return; }
    int xa = 0, xb = 0;          // next breakpoint of each list: 2·s → lo[s], 2·s+1 → hi[s]+1
    int na = 2 * a.size, nb = 2 * b.size;
    auto pa = [&](int x) { return (x & 1) ? a.hi[x >> 1] + 1 : a.lo[x >> 1]; };
    auto pb = [&](int x) { return (x & 1) ? b.hi[x >> 1] + 1 : b.lo[x >> 1]; };
    int ia = 0, ib = 0;
    bool have = false;
    int p = 0;
    while (xa < na || xb < nb) {
        int next;
        if (xb >= nb || (xa < na && pa(xa) <= pb(xb))) next = pa(xa++); else next = pb(xb++);
        if (!have) { p = next; have = true; continue; }
        int q = next - 1;
        if (q >= p) {
            while (ia < a.size && a.hi[ia] < p) ia++;
            while (ib < b.size && b.hi[ib] < p) ib++;
            int sa = ia < a.size && a.lo[ia] <= p ? ia : -1;
            int sb = ib < b.size && b.lo[ib] <= p ? ib : -1;
            if (op == UNION) {
                if (sa >= 0 || sb >= 0) {
                    if (sb < 0) piece(out, p, q, a, sa, a.full[sa]);
                    else if (sa < 0) piece(out, p, q, b, sb, b.full[sb]);
                    else {
                        bool aInB = within(a, sa, b, sb), bInA = within(b, sb, a, sa);
                        if (aInB && (b.full[sb] || !bInA)) piece(out, p, q, b, sb, b.full[sb] || (bInA && a.full[sa]));
                        else if (bInA) piece(out, p, q, a, sa, a.full[sa] || (aInB && b.full[sb]));
                        else out.add(p, q, 1, false);
                    }
                }
            } else if (op == INTERSECT) {
                if (sa >= 0 && sb >= 0) {
                    if (within(a, sa, b, sb)) piece(out, p, q, a, sa, a.full[sa] && b.full[sb]);
                    else if (within(b, sb, a, sa)) piece(out, p, q, b, sb, a.full[sa] && b.full[sb]);
                    else piece(out, p, q, a, sa, false);
                }
            } else if (sa >= 0) {
                if (sb < 0) piece(out, p, q, a, sa, a.full[sa]);
                else if (!(b.full[sb] && within(a, sa, b, sb))) piece(out, p, q, a, sa, false);
            }
        }
        p = next;
    }
}

__device__ inline void unite(Cover& out, const Cover& a, const Cover& b) { sweep(out, a, b, UNION); }
__device__ inline void intersect(Cover& out, const Cover& a, const Cover& b) { sweep(out, a, b, INTERSECT); }
__device__ inline void difference(Cover& out, const Cover& a, const Cover& b) { sweep(out, a, b, DIFFERENCE); }

// ---- score modifiers ----------------------------------------------------------------------

/** A head's constants of the score modifiers: a factor on the log2-unit score, the ALiBi slope × log2(e). */
struct ScoreHead {
    float factor, slope;
};

/**
 * Whether pattern P modifies its scores (softcap, ALiBi, per-head scale): it then declares
 * `static constexpr bool SCORE_MOD = true`, `__device__ static ScoreHead scoreHead(const Head&)`
 * (read once per pass) and `__device__ static float score(const ScoreHead&, int i, int j, float s)`,
 * which maps the log2-unit score s = SCALE_LOG2 · q·k of an allowed pair (query i, key j) to the
 * modified one. Patterns without it compile to the same code as before modifiers existed.
 */
template <class P, class = void> struct HasScoreMod { static constexpr bool value = false; };
template <class P> struct HasScoreMod<P, decltype(void(P::SCORE_MOD))> { static constexpr bool value = P::SCORE_MOD; };

/** P::scoreHead(hd), or a neutral value (never read) for patterns without modifiers. */
template <class P>
__device__ inline ScoreHead scoreHeadOf(const Head& hd) {
    if constexpr (HasScoreMod<P>::value) {
        return P::scoreHead(hd);
    } else {
        (void) hd;
        return ScoreHead{1.f, 0.f};
    }
}

/**
 * Bloom's ALiBi slope of head h of H (HF build_alibi_tensor; dev.attnc.runtime.kernel.ScoreMods
 * .bloomSlope) times log2(e): with p the largest power of 2 <= H, 2^(-8(h+1)/p) for h < p, else
 * 2^(-4(2(h-p)+1)/p).
 */
__device__ inline float bloomSlopeLog2(int h, int H) {
    int p = 1;
    while (p * 2 <= H) p *= 2;
    const float e = h < p ? -8.f * (h + 1) / p : -4.f * (2 * (h - p) + 1) / p;
    return exp2f(e) * 1.4426950408889634f;
}

// ---- element types ------------------------------------------------------------------------

template <typename T> struct Elem;
template <> struct Elem<float> {
    static constexpr bool TENSOR = false;
    __device__ static float load(float x) { return x; }
    __device__ static float store(float x) { return x; }
};
template <> struct Elem<__half> {
    static constexpr bool TENSOR = true;
    __device__ static float load(__half x) { return __half2float(x); }
    __device__ static __half store(float x) { return __float2half(x); }
};
template <> struct Elem<__nv_bfloat16> {
    static constexpr bool TENSOR = true;
    __device__ static float load(__nv_bfloat16 x) { return __bfloat162float(x); }
    __device__ static __nv_bfloat16 store(float x) { return __float2bfloat16(x); }
};

// ---- shapes (mirrored on the host by dev.attnc.runtime.cuda.CudaShape) -----------------------

template <int D, bool TENSOR> struct Shape;

/**
 * fp16/bf16 on tensor cores. WARPS warps of 16 query rows each; KT keys a chunk, computed in
 * subtiles of 16; D padded to DP (a multiple of 16, the mma's k) and rows to LD = DP + 8
 * elements, so the eight 16-byte rows an ldmatrix phase reads start in eight different bank
 * quads (row stride 16 mod 128 bytes): no bank conflicts. Dynamic shared memory: Q [QT][LD],
 * K [2][KT][LD], V [2][KT][LD]. MIN_BLOCKS (for __launch_bounds__) is the most blocks an SM
 * can hold with no register spill, as measured with ptxas 13.0 on sm_80 and sm_90 (128
 * registers a thread at D = 64; docs/CUDA_BACKEND.md, "Static report").
 */
template <int D> struct Shape<D, true> {
    static_assert(D >= 1 && D <= 256, "the CUDA engine supports head dims 1..256");
    static constexpr int DP = (D + 15) / 16 * 16;
    static constexpr int LD = DP + 8;
    static constexpr int ROWS = 16;
    static constexpr int WARPS = 4;
    static constexpr int THREADS = 32 * WARPS;
    static constexpr int QT = ROWS * WARPS;
    static constexpr int KT = D <= 128 ? 32 : 16;
    /** Keys of one step of the inner loop (one online-softmax update). */
    static constexpr int SUB = 16;
    static constexpr int MIN_BLOCKS = D == 64 ? 4 : (D >= 16 && D < 64 ? 3 : (D <= 128 ? 2 : 1));
    static constexpr int SMEM_BYTES = (QT + 4 * KT) * LD * 2;
};

/**
 * fp32 on CUDA cores: ROWS rows a warp, lane t scores key t of a 32-key chunk, O in registers
 * (lane owns columns lane + 32·c); static shared memory (Q, one K/V buffer, the score tile).
 */
template <int D> struct Shape<D, false> {
    static_assert(D >= 1 && D <= 256, "the CUDA engine supports head dims 1..256");
    static constexpr int DP = (D + 15) / 16 * 16;
    static constexpr int DC = (D + 31) / 32;
    static constexpr int ROWS = D <= 128 ? 16 : 8;
    static constexpr int WARPS = D <= 64 ? 4 : (D <= 128 ? 2 : 1);
    static constexpr int THREADS = 32 * WARPS;
    static constexpr int QT = ROWS * WARPS;
    static constexpr int KT = 32;
    /** Row length of the staged K/V chunk: a pad word, so lane t reading row t hits its own bank. */
    static constexpr int KVLD = DP + 1;
    /** Row length of the score tile: lane r reading row r walks its own bank. */
    static constexpr int SLD = KT + 1;
    /** Four blocks (16 warps, 128 registers) at D = 64, where ptxas fits that without a spill; else no bound. */
    static constexpr int MIN_BLOCKS = D == 64 ? 4 : 1;
    static constexpr int SMEM_BYTES = 0;
};

/** The part of a block's shared memory both paths share: its rows, cover and chunk lists. */
template <int QT, int KT>
struct Block {
    Cover cover;
    int keys[3][KT];       // chunk lists, three deep: built one chunk ahead of the compute
    int nk[3];
    bool partial[3];
    int seg, at;           // the list builder's cursor in the cover
    int row[QT];           // the query rows of the block
    int rows;
    int last;              // global blocks: whether this block merges the splits
    int kvToken;           // elements between tokens of k and v (fp32 path: read here, not held in a register)
};

/** Index of (b, h, i, x) in a tensor of the call's layout (0 = [B,H,L,D], 1 = [B,L,H·D]). */
struct Layout {
    long long base;
    long long token;
    __device__ Layout(int layout, int B, int H, int n, int D, int b, int h) {
        (void) B;
        if (layout == 0) { base = ((long long) b * H + h) * n * D; token = D; }
        else { base = (long long) b * n * H * D + (long long) h * D; token = (long long) H * D; }
    }
    __device__ long long at(int i) const { return base + (long long) i * token; }
};

/** 2^x: the SFU's ex2.approx.ftz on a device (2 ulp, flushes subnormal results to 0), exp2f in emulation. */
__device__ inline float ex2(float x) {
#ifdef ATTNC_EMU
    return exp2f(x);
#else
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
#endif
}

__device__ inline bool aligned16(const void* p) { return ((unsigned long long) p & 15) == 0; }

/**
 * Warp 0 (all 32 lanes, in step) writes the next chunk of at most KT keys of the cover into
 * list `stage`: consecutive keys of segments with the same flag (full or partial), padding keys
 * left out. 32 candidate keys a step: one ballot over key_valid, each kept key stored at its
 * prefix count.
 */
template <int QT, int KT>
__device__ void buildChunk(Block<QT, KT>& bk, int stage, const unsigned char* keyValid, long long validBase) {
    const int lane = threadIdx.x & 31;
    const Cover& c = bk.cover;
    int nk = 0, seg = bk.seg;
    long long at = bk.at;
    bool partial = false;
    while (seg < c.size && nk < KT) {
        const bool f = !c.full[seg];
        if (nk > 0 && f != partial) break;   // a chunk is all full or all partial; an empty one takes either
        partial = f;
        const int st = c.st[seg];
        const long long j = at + (long long) st * lane;
        const bool ok = j <= c.hi[seg] && (keyValid == nullptr || keyValid[validBase + j]);
        const unsigned ball = __ballot_sync(0xffffffffu, ok);
        const int pos = __popc(ball & ((1u << lane) - 1u));
        const int take = KT - nk;
        if (ok && pos < take) bk.keys[stage][nk + pos] = (int) j;
        const int valid = __popc(ball);
        if (valid >= take) {
            // The chunk is full: resume after its last key.
            unsigned rest = ball;
            for (int x = 0; x < take - 1; x++) rest &= rest - 1;
            at += (long long) st * __ffs((int) rest);
            nk = KT;
        } else {
            nk += valid;
            at += 32LL * st;
        }
        if (at > c.hi[seg]) {
            seg++;
            if (seg < c.size) at = c.lo[seg];
        }
    }
    __syncwarp();   // every lane has read the cursor before lane 0 moves it
    if (lane == 0) {
        bk.nk[stage] = nk;
        bk.partial[stage] = partial;
        bk.seg = seg;
        bk.at = (int) at;
    }
}

// ---- fp16/bf16: tensor cores --------------------------------------------------------------------

/**
 * Rows idx[0 .. count) of src into dst [cap][LD]: cp.async 16 bytes at a time when `vec` (head
 * dim a multiple of 8, tensors 16-byte aligned), else plain loads; columns D .. DP and rows
 * count .. cap are zero (the mma reads them: zero keeps V finite where P is 0).
 */
template <class S, int D, typename T>
__device__ void stageRows(T* dst, int count, int cap, const int* idx, const T* src, int token, bool vec) {
    constexpr int CH = S::DP / 8;   // 16-byte pieces of a row
    if (vec) {
        for (int e = threadIdx.x; e < cap * CH; e += S::THREADS) {
            const int r = e / CH, x = e % CH;
            T* to = dst + r * S::LD + x * 8;
            if (r < count && x * 8 < D) tc::cp_async16(to, src + (long long) idx[r] * token + x * 8);
            else *reinterpret_cast<uint4*>(to) = make_uint4(0, 0, 0, 0);
        }
    } else {
        for (int e = threadIdx.x; e < cap * S::DP; e += S::THREADS) {
            const int r = e / S::DP, x = e % S::DP;
            dst[r * S::LD + x] = r < count && x < D ? src[(long long) idx[r] * token + x] : Elem<T>::store(0.f);
        }
    }
}

/**
 * Attention of the block's rows bk.row[0 .. bk.rows) over the keys of bk.cover (cursor set by
 * the caller), on tensor cores. q and out point at token 0 of the block's (item, head), tokens
 * `token` elements apart; k and v at token 0 of its (item, kv head), `kvToken` apart; keyValid at the item's row (or null). Writes the rows of out (O / l; 0 for padded rows and rows
 * without a key) or, when `partial` is given, each row's (m, l, O) in log2 units to
 * partial[r·(D + 2) ..] for the split-K merge.
 */
template <class P, typename T>
__device__ void tensorPass(Block<Shape<P::HEAD_DIM, true>::QT, Shape<P::HEAD_DIM, true>::KT>& bk, const Head& hd,
                           const T* q, const T* k, const T* v, int token, int kvToken,
                           const unsigned char* keyValid, bool vec, T* out, float* partial) {
    constexpr int D = P::HEAD_DIM;
    using S = Shape<D, true>;
    constexpr int LD = S::LD, KT = S::KT, SUB = S::SUB, NT = SUB / 8, DN = S::DP / 8;
    T* sq = reinterpret_cast<T*>(tc::dynamic_shared());
    T* sk = sq + S::QT * LD;
    T* sv = sk + 2 * KT * LD;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, t4 = lane & 3;
    const int r0 = warp * 16 + (lane >> 2), r1 = r0 + 8;   // this thread's two rows of the block
    const int rows = bk.rows;
    stageRows<S, D>(sq, rows, S::QT, bk.row, q, token, vec);
    if (warp == 0) buildChunk(bk, 0, keyValid, 0);
    __syncthreads();
    stageRows<S, D>(sk, bk.nk[0], KT, bk.keys[0], k, kvToken, vec);
    stageRows<S, D>(sv, bk.nk[0], KT, bk.keys[0], v, kvToken, vec);
    tc::cp_async_commit();   // group 0: Q and chunk 0

    tc::FragC o[DN];
#pragma unroll
    for (int dn = 0; dn < DN; dn++) o[dn].x[0] = o[dn].x[1] = o[dn].x[2] = o[dn].x[3] = 0.f;
    float m0 = NEG_INF, m1 = NEG_INF, l0 = 0.f, l1 = 0.f;   // rows r0, r1: running max (log2) and this lane's share of the sum
    const ScoreHead sh = scoreHeadOf<P>(hd);                 // score modifiers only: the head's constants ...
    const int i0 = HasScoreMod<P>::value ? bk.row[r0] : 0;   // ... and the query positions of rows r0, r1
    const int i1 = HasScoreMod<P>::value ? bk.row[r1] : 0;

    for (int c = 0;; c++) {
        const int list = c % 3, buf = c & 1;
        const int nk = bk.nk[list];
        if (nk == 0) break;
        // Chunk c + 1: its list (warp 0), then its K and V into the other buffer, in flight
        // while chunk c is computed. The first barrier also means every warp is done with
        // chunk c - 1, whose buffer the copies overwrite.
        if (warp == 0) buildChunk(bk, (c + 1) % 3, keyValid, 0);
        __syncthreads();
        const int next = bk.nk[(c + 1) % 3];
        if (next > 0) {
            stageRows<S, D>(sk + (buf ^ 1) * KT * LD, next, KT, bk.keys[(c + 1) % 3], k, kvToken, vec);
            stageRows<S, D>(sv + (buf ^ 1) * KT * LD, next, KT, bk.keys[(c + 1) % 3], v, kvToken, vec);
        }
        tc::cp_async_commit();
        tc::cp_async_wait<1>();   // this thread's copies of chunk c have landed ...
        __syncthreads();          // ... and every thread's
        const T* kb = sk + buf * KT * LD;
        const T* vb = sv + buf * KT * LD;
        const int* keys = bk.keys[list];
        const bool masked = bk.partial[list];
#pragma unroll 1
        for (int u = 0; u < (warp * 16 < rows ? KT / SUB : 0); u++) {   // a warp without a row of the block skips the math
            if (u * SUB >= nk) break;
            // S = Q·Kᵀ for 16 rows × SUB keys: SUB / 8 n-tiles of 8 keys, DP / 16 k-steps.
            tc::FragC s[NT];
#pragma unroll
            for (int j = 0; j < NT; j++) s[j].x[0] = s[j].x[1] = s[j].x[2] = s[j].x[3] = 0.f;
#pragma unroll
            for (int kk = 0; kk < S::DP / 16; kk++) {
                tc::FragA a;
                tc::ldmatrix_x4(a.x, sq + (warp * 16 + (lane & 15)) * LD + kk * 16 + (lane >> 4) * 8);
#pragma unroll
                for (int j = 0; j < NT; j += 2) {
                    uint32_t kr[4];
                    tc::ldmatrix_x4(kr, kb + (u * SUB + j * 8 + (lane >> 4) * 8 + (lane & 7)) * LD + kk * 16 + ((lane >> 3) & 1) * 8);
                    tc::mma<T>(s[j], a, tc::FragB{{kr[0], kr[1]}});
                    tc::mma<T>(s[j + 1], a, tc::FragB{{kr[2], kr[3]}});
                }
            }
            // Scale into log2 units; keys past the chunk and (partial chunks only) pairs the
            // pattern does not allow are -inf. The mask is tested one pair at a time (not
            // unrolled), so its registers are not multiplied by the pairs a lane holds.
            unsigned keep = 0;
#pragma unroll
            for (int e = 0; e < 4 * NT; e++) keep |= (unsigned) (u * SUB + (e >> 2) * 8 + 2 * t4 + (e & 1) < nk) << e;
            if (masked) {
#pragma unroll 1
                for (int e = 0; e < 4 * NT; e++) {
                    const int kc = u * SUB + (e >> 2) * 8 + 2 * t4 + (e & 1);
                    const int rr = (e & 2) ? r1 : r0;   // rows past the block: zero Q, finite, never written
                    if ((keep >> e & 1) && rr < rows && !P::mask(hd, bk.row[rr], keys[kc])) keep &= ~(1u << e);
                }
            }
            float mx0 = NEG_INF, mx1 = NEG_INF;
#pragma unroll
            for (int j = 0; j < NT; j++) {
#pragma unroll
                for (int e = 0; e < 4; e++) {
                    if constexpr (HasScoreMod<P>::value) {   // compiled out for patterns without modifiers
                        const int kc = u * SUB + j * 8 + 2 * t4 + (e & 1);   // in bounds; unused where not kept
                        const float x = P::score(sh, (e & 2) ? i1 : i0, keys[kc], s[j].x[e] * P::SCALE_LOG2);
                        s[j].x[e] = (keep >> (4 * j + e)) & 1 ? x : NEG_INF;
                    } else {
                        s[j].x[e] = (keep >> (4 * j + e)) & 1 ? s[j].x[e] * P::SCALE_LOG2 : NEG_INF;
                    }
                }
                mx0 = fmaxf(mx0, fmaxf(s[j].x[0], s[j].x[1]));
                mx1 = fmaxf(mx1, fmaxf(s[j].x[2], s[j].x[3]));
            }
            // Online softmax: a row's four lanes agree on its new maximum by two shuffles.
            mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
            mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
            mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
            mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
            const float mn0 = fmaxf(m0, mx0), mn1 = fmaxf(m1, mx1);
            const float al0 = mn0 == NEG_INF ? 1.f : ex2(m0 - mn0);
            const float al1 = mn1 == NEG_INF ? 1.f : ex2(m1 - mn1);
            m0 = mn0;
            m1 = mn1;
            float sum0 = 0.f, sum1 = 0.f;
#pragma unroll
            for (int j = 0; j < NT; j++) {
                s[j].x[0] = mn0 == NEG_INF ? 0.f : ex2(s[j].x[0] - mn0);
                s[j].x[1] = mn0 == NEG_INF ? 0.f : ex2(s[j].x[1] - mn0);
                s[j].x[2] = mn1 == NEG_INF ? 0.f : ex2(s[j].x[2] - mn1);
                s[j].x[3] = mn1 == NEG_INF ? 0.f : ex2(s[j].x[3] - mn1);
                sum0 += s[j].x[0] + s[j].x[1];
                sum1 += s[j].x[2] + s[j].x[3];
            }
            l0 = l0 * al0 + sum0;
            l1 = l1 * al1 + sum1;
#pragma unroll
            for (int dn = 0; dn < DN; dn++) {
                o[dn].x[0] *= al0;
                o[dn].x[1] *= al0;
                o[dn].x[2] *= al1;
                o[dn].x[3] *= al1;
            }
            // O += P·V, a k-step of 16 keys at a time. P stays in registers: the accumulator
            // layout of two n-tiles is the A layout of one k-step. V rows are keys, so the B
            // fragments come from ldmatrix .trans.
#pragma unroll
            for (int kt = 0; kt < SUB / 16; kt++) {
                tc::FragA pa;
                pa.x[0] = tc::pack<T>(s[2 * kt].x[0], s[2 * kt].x[1]);
                pa.x[1] = tc::pack<T>(s[2 * kt].x[2], s[2 * kt].x[3]);
                pa.x[2] = tc::pack<T>(s[2 * kt + 1].x[0], s[2 * kt + 1].x[1]);
                pa.x[3] = tc::pack<T>(s[2 * kt + 1].x[2], s[2 * kt + 1].x[3]);
#pragma unroll
                for (int dd = 0; dd < S::DP / 16; dd++) {
                    uint32_t vr[4];
                    tc::ldmatrix_x4_trans(vr, vb + (u * SUB + kt * 16 + ((lane >> 3) & 1) * 8 + (lane & 7)) * LD + dd * 16 + (lane >> 4) * 8);
                    tc::mma<T>(o[2 * dd], pa, tc::FragB{{vr[0], vr[1]}});
                    tc::mma<T>(o[2 * dd + 1], pa, tc::FragB{{vr[2], vr[3]}});
                }
            }
        }
    }
    tc::cp_async_wait<0>();
    l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
    l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
    l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
    l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
#pragma unroll
    for (int h2 = 0; h2 < 2; h2++) {
        const int rr = h2 == 0 ? r0 : r1;
        if (rr >= rows) continue;
        const float m = h2 == 0 ? m0 : m1, l = h2 == 0 ? l0 : l1;
        if (partial != nullptr) {
            float* pr = partial + (long long) rr * (D + 2);
            if (t4 == 0) { pr[0] = m; pr[1] = l; }
#pragma unroll
            for (int dn = 0; dn < DN; dn++) {
                const int col = dn * 8 + 2 * t4;
                if (col < D) pr[2 + col] = o[dn].x[2 * h2];
                if (col + 1 < D) pr[3 + col] = o[dn].x[2 * h2 + 1];
            }
        } else {
            const int i = bk.row[rr];
            const bool valid = keyValid == nullptr || keyValid[i];
            const float inv = l == 0.f || !valid ? 0.f : 1.f / l;
            T* to = out + (long long) i * token;
#pragma unroll
            for (int dn = 0; dn < DN; dn++) {
                const int col = dn * 8 + 2 * t4;
                if (col < D) to[col] = Elem<T>::store(o[dn].x[2 * h2] * inv);
                if (col + 1 < D) to[col + 1] = Elem<T>::store(o[dn].x[2 * h2 + 1] * inv);
            }
        }
    }
}

// ---- fp32: CUDA cores ---------------------------------------------------------------------------

template <int D>
struct ScalarSmem {
    using S = Shape<D, false>;
    float q[S::WARPS][S::ROWS][S::DP];   // query rows, pre-scaled into log2 units
    float kv[S::KT][S::KVLD];            // K of the chunk, then V
    float s[S::WARPS][S::ROWS][S::SLD];  // scores, then probabilities
    float alpha[S::WARPS][S::ROWS], m[S::WARPS][S::ROWS], l[S::WARPS][S::ROWS];
};

/**
 * tensorPass's contract, on CUDA cores in fp32: one chunk list, K then V in one buffer. k and v
 * point at token 0 of the block's (item, kv head), tokens bk.kvToken apart; q and out follow lay.
 */
template <class P>
__device__ void scalarPass(Block<Shape<P::HEAD_DIM, false>::QT, Shape<P::HEAD_DIM, false>::KT>& bk, const Head& hd,
                           const Layout& lay, const float* q, const float* k, const float* v,
                           const unsigned char* keyValid, float* out, float* partial) {
    constexpr int D = P::HEAD_DIM;
    using S = Shape<D, false>;
    constexpr int ROWS = S::ROWS, DC = S::DC, DP = S::DP, KT = S::KT;
    __shared__ ScalarSmem<D> sm;
    const int n = hd.n;
    const long long validBase = (long long) hd.batch * n;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int rows = bk.rows;
    for (int e = threadIdx.x; e < S::QT * DP; e += S::THREADS) {
        int r = e / DP, x = e % DP;
        sm.q[r / ROWS][r % ROWS][x] = r < rows && x < D ? q[lay.at(bk.row[r]) + x] * P::SCALE_LOG2 : 0.f;
    }
    float m = NEG_INF, l = 0.f;   // lane r < ROWS: row r's running maximum and sum
    const ScoreHead sh = scoreHeadOf<P>(hd);
    float acc[ROWS][DC];
    for (int r = 0; r < ROWS; r++) for (int c = 0; c < DC; c++) acc[r][c] = 0.f;
    const int row0 = warp * ROWS;
    float (&sc)[ROWS][S::SLD] = sm.s[warp];
    __syncthreads();

    while (true) {
        if (warp == 0) buildChunk(bk, 0, keyValid, validBase);
        __syncthreads();
        const int nk = bk.nk[0];
        if (nk == 0) break;
        const bool masked = bk.partial[0];
        for (int e = threadIdx.x; e < KT * DP; e += S::THREADS) {
            int t = e / DP, x = e % DP;
            sm.kv[t][x] = t < nk && x < D ? k[(long long) bk.keys[0][t] * bk.kvToken + x] : 0.f;
        }
        __syncthreads();
        // Scores of the warp's rows: lane t scores key t, then the mask on partial chunks.
        {
            float s[ROWS];
            for (int r = 0; r < ROWS; r++) s[r] = 0.f;
#pragma unroll 2
            for (int x = 0; x < D; x++) {
                float kx = sm.kv[lane][x];
                for (int r = 0; r < ROWS; r++) s[r] = fmaf(sm.q[warp][r][x], kx, s[r]);
            }
            const int j = lane < nk ? bk.keys[0][lane] : -1;
            for (int r = 0; r < ROWS; r++) {
                int rr = row0 + r;
                bool keep = j >= 0 && rr < rows;
                if (keep && masked) keep = P::mask(hd, bk.row[rr], j);
                if constexpr (HasScoreMod<P>::value) {   // compiled out for patterns without modifiers
                    sc[r][lane] = keep ? P::score(sh, bk.row[rr], j, s[r]) : NEG_INF;
                } else {
                    sc[r][lane] = keep ? s[r] : NEG_INF;
                }
            }
        }
        __syncwarp();
        if (lane < ROWS) {
            float mx = NEG_INF;
            for (int t = 0; t < KT; t++) mx = fmaxf(mx, sc[lane][t]);
            float mn = fmaxf(m, mx);
            float alpha = mn == NEG_INF ? 1.f : exp2f(m - mn);
            m = mn;
            l *= alpha;
            sm.alpha[warp][lane] = alpha;
            sm.m[warp][lane] = mn;
        }
        __syncwarp();
        for (int r = 0; r < ROWS; r++) {
            float mn = sm.m[warp][r];
            sc[r][lane] = mn == NEG_INF ? 0.f : exp2f(sc[r][lane] - mn);
        }
        __syncwarp();
        if (lane < ROWS) {
            float sum = 0.f;
            for (int t = 0; t < KT; t++) sum += sc[lane][t];
            l += sum;
        }
        __syncthreads();   // every warp is done with K
        for (int e = threadIdx.x; e < KT * DP; e += S::THREADS) {
            int t = e / DP, x = e % DP;
            sm.kv[t][x] = t < nk && x < D ? v[(long long) bk.keys[0][t] * bk.kvToken + x] : 0.f;
        }
        __syncthreads();
        for (int r = 0; r < ROWS; r++) {
            float alpha = sm.alpha[warp][r];
            for (int c = 0; c < DC; c++) acc[r][c] *= alpha;
        }
#pragma unroll 2
        for (int t = 0; t < nk; t++) {
            float vx[DC];
            for (int c = 0; c < DC; c++) vx[c] = lane + 32 * c < D ? sm.kv[t][lane + 32 * c] : 0.f;
            for (int r = 0; r < ROWS; r++) {
                float pt = sc[r][t];
                for (int c = 0; c < DC; c++) acc[r][c] = fmaf(pt, vx[c], acc[r][c]);
            }
        }
        __syncthreads();   // before the next list and K overwrite keys and kv
    }
    if (lane < ROWS) {
        sm.l[warp][lane] = l;
        sm.m[warp][lane] = m;
    }
    __syncwarp();
    for (int r = 0; r < ROWS; r++) {
        int rr = row0 + r;
        if (rr >= rows) break;
        float lr = sm.l[warp][r];
        if (partial != nullptr) {
            float* pr = partial + (long long) rr * (D + 2);
            if (lane == 0) { pr[0] = sm.m[warp][r]; pr[1] = lr; }
            for (int c = 0; c < DC; c++) {
                if (lane + 32 * c < D) pr[2 + lane + 32 * c] = acc[r][c];
            }
        } else {
            int i = bk.row[rr];
            bool valid = keyValid == nullptr || keyValid[validBase + i];
            float inv = lr == 0.f || !valid ? 0.f : 1.f / lr;
            for (int c = 0; c < DC; c++) {
                int x = lane + 32 * c;
                if (x < D) out[lay.at(i) + x] = acc[r][c] * inv;
            }
        }
    }
}

// ---- the kernel body ------------------------------------------------------------------------------

/**
 * The pattern's cover of a row group, out of line: it runs once per block on one thread, and
 * inlined its segment arithmetic would compete for registers with the engine's loop.
 */
template <class P>
__device__ __noinline__ void coverOf(Cover& out, const Head& hd, int first, int stride, int rows) {
    P::cover(out, hd, first, stride, rows);
}

template <class P, typename T>
__device__ void softmaxAttention(const T* q, const T* k, const T* v, const T* qg, const T* kg, const T* vg,
                                 const unsigned char* keyValid, const int* bind, float* work, T* out, int layout) {
    constexpr int D = P::HEAD_DIM;
    constexpr bool TENSOR = Elem<T>::TENSOR;
    using S = Shape<D, TENSOR>;
    __shared__ Block<S::QT, S::KT> bk;

    const int B = bind[1], H = bind[2], n = bind[3];
    const int b = blockIdx.z, h = blockIdx.y;
    const Head hd(bind, b, h);
    const Layout lay(layout, B, H, n, D, b, h);
    const int G = bind[13] > 0 ? bind[13] : H;   // kv heads: head h reads kv head h / (H / G)
    const Layout kvLay(layout, B, G, n, D, b, h / (H / G));
    const int rowBlocks = bind[9];
    const bool globalBlock = (int) blockIdx.x >= rowBlocks;
    const bool separate = qg != nullptr && hd.globals() > 0;
    const T* qq = globalBlock && separate ? qg : q;
    const T* kk = globalBlock && separate ? kg : k;
    const T* vv = globalBlock && separate ? vg : v;
    int group = 0, split = 0;

    if (!globalBlock) {
        // A row group of one residue modulo the head's row stride, without its global rows.
        const int stride = hd.stride();
        const long long first = (blockIdx.x / stride) * (long long) S::QT * stride + blockIdx.x % stride;
        if (first >= n) return;   // the whole block leaves together
        const int groupRows = (int) ((n - 1 - first) / stride + 1 < S::QT ? (n - 1 - first) / stride + 1 : S::QT);
        if (threadIdx.x == 0) {
            int cnt = 0;
            for (int r = 0; r < groupRows; r++) {
                const int i = (int) (first + (long long) stride * r);
                if (hd.globals() == 0 || !hd.isGlobalRow(i)) bk.row[cnt++] = i;
            }
            bk.rows = cnt;
            coverOf<P>(bk.cover, hd, (int) first, stride, groupRows);
        }
    } else {
        // QT rows of the head's global sets and one split of KSPLIT keys.
        const int splits = bind[11];
        group = (blockIdx.x - rowBlocks) / splits;
        split = (blockIdx.x - rowBlocks) % splits;
        if (threadIdx.x == 0) {
            const int want = group * S::QT, words = (n + 31) >> 5;
            int seen = 0, cnt = 0;
            for (int x = 0; x < words && cnt < S::QT; x++) {
                unsigned u = hd.globalWord(x);
                const int pc = __popc(u);
                if (seen + pc <= want) { seen += pc; continue; }
                while (u != 0 && cnt < S::QT) {
                    const int bit = __ffs((int) u) - 1;
                    u &= u - 1;
                    if (seen >= want) bk.row[cnt++] = x * 32 + bit;
                    seen++;
                }
            }
            bk.rows = cnt;
            const long long lo = (long long) split * KSPLIT, hi = lo + KSPLIT - 1 < n - 1 ? lo + KSPLIT - 1 : n - 1;
            bk.cover.clear();
            bk.cover.add(lo, hi, 1, separate);   // separate projections: every valid key, no mask
        }
    }
    if (threadIdx.x == 0) {
        bk.kvToken = (int) kvLay.token;
        bk.seg = 0;
        bk.at = bk.cover.size > 0 ? bk.cover.lo[0] : 0;
    }
    __syncthreads();
    if (bk.rows == 0) return;   // uniform: every thread read it after the barrier

    float* partial = nullptr;
    int* counter = nullptr;
    float* splitBase = nullptr;
    if (globalBlock) {
        const int groups = bind[10], splits = bind[11];
        const long long counters = ((long long) B * H * groups + 3) / 4 * 4;
        const long long slot = ((long long) (b * H + h) * groups + group);
        counter = reinterpret_cast<int*>(work) + slot;
        splitBase = work + counters + slot * splits * S::QT * (D + 2);
        partial = splitBase + (long long) split * S::QT * (D + 2);
    }
    if constexpr (TENSOR) {
        const bool vec = D % 8 == 0 && lay.token % 8 == 0 && lay.base % 8 == 0 && kvLay.token % 8 == 0 &&
                         kvLay.base % 8 == 0 && aligned16(qq) && aligned16(kk) && aligned16(vv);
        tensorPass<P, T>(bk, hd, qq + lay.base, kk + kvLay.base, vv + kvLay.base, (int) lay.token, (int) kvLay.token,
                         keyValid == nullptr ? nullptr : keyValid + (long long) b * n, vec,
                         partial == nullptr ? out + lay.base : nullptr, partial);
    } else {
        scalarPass<P>(bk, hd, lay, qq, kk + kvLay.base, vv + kvLay.base, keyValid, out, partial);
    }
    if (!globalBlock) return;

    // The last split of the group to finish merges them all (threadFenceReduction's ticket).
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) bk.last = atomicAdd(counter, 1) == bind[11] - 1;
    __syncthreads();
    if (!bk.last) return;
    __threadfence();
    const int splits = bind[11], rows = bk.rows;
    const volatile float* part = splitBase;
    const long long splitFloats = (long long) S::QT * (D + 2);
    for (int e = threadIdx.x; e < rows * D; e += S::THREADS) {
        const int r = e / D, x = e % D;
        float mx = NEG_INF;
        for (int s = 0; s < splits; s++) mx = fmaxf(mx, part[s * splitFloats + (long long) r * (D + 2)]);
        float l = 0.f, o = 0.f;
        if (mx != NEG_INF) {
            for (int s = 0; s < splits; s++) {
                const volatile float* pr = part + s * splitFloats + (long long) r * (D + 2);
                const float ms = pr[0];
                if (ms == NEG_INF) continue;
                const float w = exp2f(ms - mx);
                l += w * pr[1];
                o += w * pr[2 + x];
            }
        }
        const int i = bk.row[r];
        const bool valid = keyValid == nullptr || keyValid[(long long) b * n + i];
        out[lay.at(i) + x] = Elem<T>::store(l == 0.f || !valid ? 0.f : o / l);
    }
    if (threadIdx.x == 0) *counter = 0;   // ready for the next launch
}

}  // namespace attnc
