// attnc_softmax.cuh: the CUDA tile engine under every generated softmax kernel.
//
// The split is the Java backend's (docs/CUDA_BACKEND.md): a generated .cu says WHICH keys a
// pattern attends (a struct with cover() and mask(), printed from the loop IR), this header
// says HOW (thread blocks, shared-memory staging, online softmax, tensor cores). It is
// written beside the generated .cu files and compiles unchanged with nvcc (sm_80, sm_90) and
// with g++ under the CPU emulation header attnc_emu.h.
//
// Launch: grid (binding grid.x, H, B), block THREADS = 32·WARPS, static shared memory only.
// Block x takes the row group first = (x / stride)·QT·stride + x % stride, rows
// first + stride·r (r < QT), of head blockIdx.y and batch item blockIdx.z; each warp owns
// 16 (fp32: ROWS) consecutive rows of the group.
//
// Per block: thread 0 computes the group's key cover (segments, full or partial, as
// dev.attnc.runtime.kernel.KeyCover does) into shared memory; then chunks of 32 keys are
// gathered from it (padding keys left out), K staged in shared memory, scores (fp32: a lane
// per key; fp16/bf16: wmma 16x16x16 with fp32 accumulation), the generated mask on partial
// chunks only, online softmax per row in log2 units (warp shuffles), V staged, O += P·V.
// Rows of global sets recompute with qg/kg/vg over every valid key when those are given.
#pragma once

#ifndef ATTNC_EMU
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <mma.h>
#endif

namespace attnc {

constexpr int MAGIC = 0x32545441;   // binding version 2 ('ATT2')
constexpr int KT = 32;            // keys per chunk: one per lane
constexpr int CAP = 48;           // segments a cover holds; more collapse into one partial tail
constexpr float NEG_INF = -INFINITY;

// ---- the binding (dev.attnc.runtime.cuda.CudaBinding) --------------------------------------

/** Sorted disjoint runs of global tokens [start, end], then a membership bitmap of 0..n-1. */
struct Runs {
    const int* w;   // w[0] = count, then start, end pairs, then ceil(n/32) bitmap words
    int n;          // the sequence length: bitmap bits 0..n-1
    __device__ int count() const { return w[0]; }
    __device__ int start(int k) const { return w[1 + 2 * k]; }
    __device__ int end(int k) const { return w[2 + 2 * k]; }
    __device__ bool contains(int i) const {
        if (i < 0 || i >= n) return false;
        return (w[1 + 2 * count() + (i >> 5)] >> (i & 31)) & 1;
    }
    /** Rows first + stride·t (t < count) in the set. */
    __device__ int countIn(int first, int stride, int rows) const {
        int c = 0;
        for (int k = 0; k < count(); k++) {
            int a = start(k), z = end(k);
            long long last = first + (long long) stride * (rows - 1);
            if (z < first || a > last) continue;
            long long t0 = a <= first ? 0 : (a - first + stride - 1) / stride;
            long long t1 = z >= last ? rows - 1 : (z - first) / stride;
            if (t1 >= t0) c += (int) (t1 - t0 + 1);
        }
        return c;
    }
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

/** The binding of one (batch item, head). */
struct Head {
    const int* bind;
    const int* rec;
    int n, batch, head;
    __device__ Head(const int* b, int batchItem, int h) : bind(b), n(b[3]), batch(batchItem), head(h) {
        int record = 1 + b[4] + b[5] + b[6];
        rec = b + b[8] + (batchItem * b[2] + h) * record;
    }
    __device__ int stride() const { return rec[0]; }
    __device__ int p(int k) const { return rec[1 + k]; }
    __device__ Runs g(int k) const { return Runs{bind + rec[1 + bind[4] + k], n}; }
    __device__ Table r(int k) const { return Table{bind + rec[1 + bind[4] + bind[5] + k]}; }
    __device__ bool isGlobalRow(int i) const {
        for (int k = 0; k < bind[5]; k++) {
            if (g(k).contains(i)) return true;
        }
        return false;
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

__device__ inline void global(Cover& c, int n, int first, int rowStride, int rows, Runs g) {
    c.clear();
    int in = g.countIn(first, rowStride, rows);
    if (in == rows) { all(c, n); return; }
    long long next = 0;
    for (int k = 0; k < g.count(); k++) {
        if (in > 0) c.add(next, g.start(k) - 1LL, 1, false);
        c.add(g.start(k), g.end(k), 1, true);
        next = g.end(k) + 1LL;
    }
    if (in > 0) c.add(next, n - 1, 1, false);
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

// ---- the engine -----------------------------------------------------------------------------

/**
 * Shapes of one kernel: D the head dim, DP it rounded up to 16 (tensor-core tiles), ROWS the
 * rows of a warp, WARPS per block, DC the head-dim columns a lane owns (lane + 32·c).
 */
template <int D, bool TENSOR>
struct Shape {
    static constexpr int DP = (D + 15) / 16 * 16;
    static constexpr int DC = (D + 31) / 32;
    static constexpr int ROWS = TENSOR ? 16 : (D <= 128 ? 16 : 8);
    static constexpr int WARPS = D <= 64 ? 4 : (D <= 128 ? 2 : 1);
    static constexpr int THREADS = 32 * WARPS;
    static constexpr int QT = ROWS * WARPS;
    /** Dynamic shared memory per block (this engine uses static shared memory only). */
    static constexpr int SMEM_BYTES = 0;
    /** The minimum resident blocks per SM of the entries' __launch_bounds__. */
    static constexpr int MIN_BLOCKS = 1;
    /** Row length of the staged K/V chunk: fp32 pads a word so that lane t reading row t hits its own bank. */
    static constexpr int KVLD = TENSOR ? DP : DP + 1;
    /** Row length of the score tile: a multiple of 4 floats (wmma), not of 32 (banks). */
    static constexpr int SLD = KT + 4;
    static_assert(D >= 1 && D <= 256, "the CUDA engine supports head dims 1..256");
};

/** Shared memory of one block. */
template <typename T, int D, bool TENSOR>
struct Smem {
    using S = Shape<D, TENSOR>;
    Cover cover;
    int keys[KT];
    int nk;
    bool partial;
    int seg, at;                       // the gather's cursor in the cover
    int row[S::QT];                    // the query rows of the pass
    int globalRows;
    // wmma needs 256-bit aligned tiles
    alignas(128) T q[S::WARPS][S::ROWS][S::DP];     // pre-scaled query rows (fp32: as floats)
    alignas(128) T kv[KT][S::KVLD];                 // K of the chunk, then V
    alignas(128) float s[S::WARPS][S::ROWS][S::SLD];                       // scores, then (fp32) probabilities
    float alpha[S::WARPS][S::ROWS], m[S::WARPS][S::ROWS], l[S::WARPS][S::ROWS];
    alignas(128) T p[TENSOR ? S::WARPS : 1][TENSOR ? 16 : 1][KT];          // probabilities, for wmma
    alignas(128) float o[TENSOR ? S::WARPS : 1][TENSOR ? 16 : 1][S::DP];   // wmma accumulators of O
};

/** Index of (b, h, i, x) in a tensor of the call's layout (0 = [B,H,L,D], 1 = [B,L,H·D]). */
struct Layout {
    long long base;
    long long token;
    __device__ Layout(int layout, int B, int H, int n, int D, int b, int h) {
        if (layout == 0) { base = ((long long) b * H + h) * n * D; token = D; }
        else { base = (long long) b * n * H * D + (long long) h * D; token = (long long) H * D; }
    }
    __device__ long long at(int i) const { return base + (long long) i * token; }
};

/**
 * Gathers the next chunk of at most KT keys from the cover (thread 0): consecutive keys of
 * segments with the same flag, padding keys left out.
 */
template <typename Sm>
__device__ void gather(Sm& sm, const unsigned char* keyValid, int b, int n) {
    sm.nk = 0;
    bool partial = false;
    while (sm.seg < sm.cover.size) {
        int s = sm.seg;
        bool f = !sm.cover.full[s];
        if (sm.nk > 0 && f != partial) return;
        partial = f;
        sm.partial = f;
        while (sm.at <= sm.cover.hi[s]) {
            int j = sm.at;
            sm.at += sm.cover.st[s];
            if (keyValid != nullptr && !keyValid[(long long) b * n + j]) continue;
            sm.keys[sm.nk++] = j;
            if (sm.nk == KT) {
                if (sm.at > sm.cover.hi[s]) { sm.seg++; if (sm.seg < sm.cover.size) sm.at = sm.cover.lo[sm.seg]; }
                return;
            }
        }
        sm.seg++;
        if (sm.seg < sm.cover.size) sm.at = sm.cover.lo[sm.seg];
    }
}

/**
 * Attention of the block's rows {@code sm.row[0 .. rows)} over the keys of {@code sm.cover}
 * (set by the caller with the gather cursor), reading q, k, v, writing their output rows.
 */
template <class P, typename T>
__device__ void pass(Smem<T, P::HEAD_DIM, Elem<T>::TENSOR>& sm, const Head& hd, const Layout& lay, int rows,
                     const T* q, const T* k, const T* v, const unsigned char* keyValid, T* out) {
    constexpr int D = P::HEAD_DIM;
    constexpr bool TENSOR = Elem<T>::TENSOR;
    using S = Shape<D, TENSOR>;
    constexpr int ROWS = S::ROWS;
    constexpr int DC = S::DC;
    constexpr int DP = S::DP;
    constexpr int SLD = S::SLD;
    const int n = hd.n, b = hd.batch;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    // Q rows of each warp, scaled into log2 units; rows past the group are zero.
    for (int e = threadIdx.x; e < S::QT * DP; e += S::THREADS) {
        int r = e / DP, x = e % DP;
        float val = 0.f;
        if (r < rows && x < D) val = Elem<T>::load(q[lay.at(sm.row[r]) + x]) * P::SCALE_LOG2;
        sm.q[r / ROWS][r % ROWS][x] = Elem<T>::store(val);
    }
    // Row state: lane r < ROWS keeps row r's maximum m and sum l (log2 units); the accumulator
    // of O is in registers (fp32: lane owns columns lane + 32·c) or in shared memory (wmma).
    float m = NEG_INF, l = 0.f;
    float acc[TENSOR ? 1 : ROWS][TENSOR ? 1 : DC];
    if constexpr (!TENSOR) {
        for (int r = 0; r < ROWS; r++) for (int c = 0; c < DC; c++) acc[r][c] = 0.f;
    } else {
        for (int e = lane; e < 16 * DP; e += 32) sm.o[warp][e / DP][e % DP] = 0.f;
    }
    const int row0 = warp * ROWS;   // this warp's first row within the group
    float (&sc)[ROWS][SLD] = sm.s[warp];
    __syncthreads();

    while (true) {
        if (threadIdx.x == 0) gather(sm, keyValid, b, n);
        __syncthreads();
        const int nk = sm.nk;
        if (nk == 0) break;
        const bool partial = sm.partial;
        // K of the chunk, zero past nk and past D.
        for (int e = threadIdx.x; e < KT * DP; e += S::THREADS) {
            int t = e / DP, x = e % DP;
            sm.kv[t][x] = t < nk && x < D ? k[lay.at(sm.keys[t]) + x] : Elem<T>::store(0.f);
        }
        __syncthreads();
        // Scores of the warp's rows into sc[r][t] (fp32: lane t computes key t; wmma: 16x16 tiles).
        if constexpr (!TENSOR) {
            float s[ROWS];
            for (int r = 0; r < ROWS; r++) s[r] = 0.f;
#pragma unroll 2
            for (int x = 0; x < D; x++) {
                float kx = sm.kv[lane][x];
                for (int r = 0; r < ROWS; r++) s[r] = fmaf(sm.q[warp][r][x], kx, s[r]);
            }
            for (int r = 0; r < ROWS; r++) sc[r][lane] = s[r];
        } else {
            using namespace nvcuda;
            for (int half = 0; half < KT / 16; half++) {
                wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
                wmma::fill_fragment(c, 0.f);
                for (int x = 0; x < DP; x += 16) {
                    wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> a;
                    wmma::fragment<wmma::matrix_b, 16, 16, 16, T, wmma::col_major> bk;
                    wmma::load_matrix_sync(a, &sm.q[warp][0][x], DP);
                    wmma::load_matrix_sync(bk, &sm.kv[half * 16][x], DP);
                    wmma::mma_sync(c, a, bk, c);
                }
                wmma::store_matrix_sync(&sc[0][half * 16], c, SLD, wmma::mem_row_major);
            }
        }
        __syncwarp();
        // Keys past the chunk, rows past the group, and (partial chunks) the pattern's mask.
        {
            const int j = lane < nk ? sm.keys[lane] : -1;
            for (int r = 0; r < ROWS; r++) {
                int rr = row0 + r;
                if (j < 0 || rr >= rows || (partial && !P::mask(hd, sm.row[rr], j))) sc[r][lane] = NEG_INF;
            }
        }
        __syncwarp();
        // Online softmax: lane r finds row r's new maximum and the rescale factor of its past.
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
        // Probabilities, a key per lane.
        for (int r = 0; r < ROWS; r++) {
            float mn = sm.m[warp][r];
            float pr = mn == NEG_INF ? 0.f : exp2f(sc[r][lane] - mn);
            if constexpr (TENSOR) sm.p[warp][r][lane] = Elem<T>::store(pr); else sc[r][lane] = pr;
        }
        __syncwarp();
        if (lane < ROWS) {
            float sum = 0.f;
            for (int t = 0; t < KT; t++) {
                if constexpr (TENSOR) sum += Elem<T>::load(sm.p[warp][lane][t]); else sum += sc[lane][t];
            }
            l += sum;
        }
        __syncthreads();   // every warp is done with K
        for (int e = threadIdx.x; e < KT * DP; e += S::THREADS) {
            int t = e / DP, x = e % DP;
            sm.kv[t][x] = t < nk && x < D ? v[lay.at(sm.keys[t]) + x] : Elem<T>::store(0.f);
        }
        __syncthreads();
        if constexpr (!TENSOR) {
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
        } else {
            using namespace nvcuda;
            for (int e = lane; e < 16 * DP; e += 32) sm.o[warp][e / DP][e % DP] *= sm.alpha[warp][e / DP];
            __syncwarp();
            for (int x = 0; x < DP; x += 16) {
                wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
                wmma::load_matrix_sync(c, &sm.o[warp][0][x], DP, wmma::mem_row_major);
                for (int t = 0; t < KT; t += 16) {
                    wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> a;
                    wmma::fragment<wmma::matrix_b, 16, 16, 16, T, wmma::row_major> bv;
                    wmma::load_matrix_sync(a, &sm.p[warp][0][t], KT);
                    wmma::load_matrix_sync(bv, &sm.kv[t][x], DP);
                    wmma::mma_sync(c, a, bv, c);
                }
                wmma::store_matrix_sync(&sm.o[warp][0][x], c, DP, wmma::mem_row_major);
            }
        }
        __syncthreads();   // before the next gather overwrites keys and kv
    }
    // Output rows: O / l, or 0 for rows with no key and padded rows.
    if (lane < ROWS) sm.l[warp][lane] = l;
    __syncwarp();
    for (int r = 0; r < ROWS; r++) {
        int rr = row0 + r;
        if (rr >= rows) break;
        int i = sm.row[rr];
        bool valid = keyValid == nullptr || keyValid[(long long) b * n + i];
        float lr = sm.l[warp][r];
        float inv = lr == 0.f || !valid ? 0.f : 1.f / lr;
        for (int c = 0; c < DC; c++) {
            int x = lane + 32 * c;
            if (x < D) {
                float o;
                if constexpr (!TENSOR) o = acc[r][c]; else o = sm.o[warp][r][x];
                out[lay.at(i) + x] = Elem<T>::store(o * inv);
            }
        }
    }
}

/**
 * The kernel body for one row group of one (batch item, head). P provides
 * {@code cover(Cover&, Head, first, stride, rows)}, {@code mask(Head, i, j)}, HEAD_DIM and
 * SCALE_LOG2. With separate global projections, the group's global rows then attend every
 * valid key through qg, kg, vg in a second pass of the same engine (their first-pass output
 * is overwritten).
 */
template <class P, typename T>
__device__ void softmaxAttention(const T* q, const T* k, const T* v, const T* qg, const T* kg, const T* vg,
                                 const unsigned char* keyValid, const int* bind, float* work, T* out,
                                 int layout) {
    (void) work;   // binding v2: the split-K work buffer; this engine computes global rows in its row blocks
    constexpr int D = P::HEAD_DIM;
    constexpr bool TENSOR = Elem<T>::TENSOR;
    using S = Shape<D, TENSOR>;
    __shared__ Smem<T, D, TENSOR> sm;

    const int B = bind[1], H = bind[2], n = bind[3];
    const int b = blockIdx.z, h = blockIdx.y;
    if ((int) blockIdx.x >= bind[9]) return;   // binding v2: blocks past the row blocks (split-K) are not used here
    const Head hd(bind, b, h);
    const int stride = hd.stride();
    const long long span = (long long) S::QT * stride;
    const long long first = (blockIdx.x / stride) * span + blockIdx.x % stride;
    if (first >= n) return;   // the whole block leaves together
    const int rows = (int) ((n - 1 - first) / stride + 1 < S::QT ? (n - 1 - first) / stride + 1 : S::QT);
    const Layout lay(layout, B, H, n, D, b, h);

    if (threadIdx.x == 0) {
        for (int r = 0; r < rows; r++) sm.row[r] = (int) (first + (long long) stride * r);
        P::cover(sm.cover, hd, (int) first, stride, rows);
        sm.seg = 0;
        sm.at = sm.cover.size > 0 ? sm.cover.lo[0] : 0;
    }
    __syncthreads();
    pass<P, T>(sm, hd, lay, rows, q, k, v, keyValid, out);
    if (qg == nullptr || bind[5] == 0) return;
    __syncthreads();
    if (threadIdx.x == 0) {
        int g = 0;
        for (int r = 0; r < rows; r++) {
            int i = (int) (first + (long long) stride * r);
            if (hd.isGlobalRow(i) && (keyValid == nullptr || keyValid[(long long) b * n + i])) sm.row[g++] = i;
        }
        sm.globalRows = g;
        all(sm.cover, n);
        sm.seg = 0;
        sm.at = 0;
    }
    __syncthreads();
    if (sm.globalRows > 0) pass<P, T>(sm, hd, lay, sm.globalRows, qg, kg, vg, keyValid, out);
}

}  // namespace attnc
