// attnc_additive.cuh: the CUDA engine under every generated Fastformer (additive) kernel.
//
// Semantics: dev.attnc.runtime.AdditiveReference (docs/DESIGN.md §3, the official Fastformer
// code). Activations are token-major [B, n, E], E = H·D, in the entry's dtype; weights,
// biases and the pooled vectors are fp32, and every sum accumulates in fp32.
//
//   α = softmax_i((W_qa·q_i + b_qa)·scale)    g_q = Σ α_i q_i              (per head)
//   β = softmax_i((W_ka·p_i + b_ka)·scale)    g_k = Σ β_i p_i,  p_i = g_q ⊙ k_i
//   out_i = W_r (g_k ⊙ v_i) + b_r + q_i       (or g_k ⊙ v_i without W_r); padding: 0
//
// A call is five launches, in order on one stream (the host code of the emulator and of
// dev.attnc.runtime.cuda.CudaAdditiveKernel):
//
//   1. pool     grid (poolChunks(n), H, B), POOL_THREADS   t = q:        part ← chunk partials
//   2. combine  grid (H, B), COMBINE_THREADS                part → g_q [B, E]
//   3. pool     same grid                                   t = k, gate = g_q: part ← partials
//   4. combine  same grid                                   part → g_k [B, E]
//   5. out      grid (ceil(E/32), ceil(n/32), B), OUT_THREADS
//
// The pooling is a reduction over the sequence in three levels: each warp streams its tokens
// with an online softmax (the score of a token is a dot product finished with xor shuffles,
// kept in log2 units), the warps of a block merge through shared memory into one partial
// (max, sum, weighted d-vector) per chunk of the sequence, and combine merges the chunks —
// a grid reduction in two launches, no atomics, so results are deterministic. The output is
// a tiled fp32 GEMM [n, E] × W_rᵀ with u = g_k ⊙ v formed while staging, plus b_r and the
// residual q. Every sequence length n ≥ 1 works: chunks and tiles are bounds-checked.
#pragma once

#include "attnc_softmax.cuh"   // Elem<T>, NEG_INF

namespace attnc {

constexpr int POOL_WARPS = 4;
constexpr int POOL_THREADS = 32 * POOL_WARPS;
/** Tokens a pooling block takes at least; the sequence splits into at most POOL_MAX_CHUNKS chunks. */
constexpr int POOL_TOKENS = 128;
constexpr int POOL_MAX_CHUNKS = 64;
constexpr int COMBINE_THREADS = 128;
constexpr int OUT_TILE = 32;
constexpr int OUT_ROWS = 8;   // thread rows of an output block: each thread computes OUT_TILE / OUT_ROWS outputs
constexpr int OUT_THREADS = OUT_TILE * OUT_ROWS;

/** Chunks of the pooling grid for n tokens (the host sizes the partials buffer with it too). */
__host__ __device__ constexpr int poolChunks(int n) {
    return (n + POOL_TOKENS - 1) / POOL_TOKENS < POOL_MAX_CHUNKS ? (n + POOL_TOKENS - 1) / POOL_TOKENS : POOL_MAX_CHUNKS;
}

/** Floats of one chunk partial: max (log2 units), sum, then the weighted D-vector. */
__host__ __device__ constexpr int partialFloats(int d) { return d + 2; }

__device__ inline float warpSum(float s) {
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    return s;
}

/** Element x of token row {@code row}: t[x], or gate[x]·t[x] in the second pooling. */
template <typename T>
__device__ inline float token(const T* row, const float* gate, int x) {
    float t = Elem<T>::load(row[x]);
    return gate == nullptr ? t : gate[x] * t;
}

/**
 * One chunk of the pooling of head blockIdx.y, batch item blockIdx.z: the chunk's softmax max
 * m (log2 units), its sum l = Σ 2^(s_i - m) and a = Σ 2^(s_i - m) t_i[h] over its valid tokens,
 * written to part[((b·H + h)·chunks + chunk)·(D + 2)]. A chunk without valid tokens writes
 * m = -inf, l = 0, a = 0.
 */
template <class P, typename T>
__device__ void additivePool(const T* t, const float* gate, const float* w, const float* bias,
                             const unsigned char* keyValid, float* part, int n, int H) {
    constexpr int D = P::HEAD_DIM;
    constexpr int DC = (D + 31) / 32;   // head-dim columns a lane owns: lane + 32·c
    __shared__ float sMax[POOL_WARPS], sSum[POOL_WARPS];
    __shared__ float sAcc[POOL_WARPS][D];
    const int chunk = blockIdx.x, chunks = gridDim.x, h = blockIdx.y, b = blockIdx.z;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int E = H * D;
    const int lo = (int) ((long long) n * chunk / chunks), hi = (int) ((long long) n * (chunk + 1) / chunks);
    const float* g = gate == nullptr ? nullptr : gate + (size_t) b * E;
    const float* wh = P::MATRIX ? w + (size_t) h * E : w + (size_t) h * D;
    const float bh = bias[h];

    float m = NEG_INF, l = 0.f, acc[DC];
    for (int c = 0; c < DC; c++) acc[c] = 0.f;
    for (int i = lo + warp; i < hi; i += POOL_WARPS) {   // uniform per warp: the shuffles see every lane
        if (keyValid != nullptr && !keyValid[(size_t) b * n + i]) continue;
        const T* row = t + ((size_t) b * n + i) * E;
        float s = 0.f;
        if constexpr (P::MATRIX) {
            for (int x = lane; x < E; x += 32) s += wh[x] * token(row, g, x);
        } else {
            for (int x = lane; x < D; x += 32) s += wh[x] * token(row, g, h * D + x);
        }
        s = (warpSum(s) + bh) * P::SCALE_LOG2;
        const float mn = fmaxf(m, s);
        const float corr = exp2f(m - mn);   // 0 while m = -inf
        const float p = exp2f(s - mn);
        l = l * corr + p;
        for (int c = 0; c < DC; c++) {
            const int x = lane + 32 * c;
            if (x < D) acc[c] = acc[c] * corr + p * token(row, g, h * D + x);
        }
        m = mn;
    }
    if (lane == 0) {
        sMax[warp] = m;
        sSum[warp] = l;
    }
    for (int c = 0; c < DC; c++) {
        const int x = lane + 32 * c;
        if (x < D) sAcc[warp][x] = acc[c];
    }
    __syncthreads();
    float M = NEG_INF;
    for (int k = 0; k < POOL_WARPS; k++) M = fmaxf(M, sMax[k]);
    float* out = part + (((size_t) b * H + h) * chunks + chunk) * partialFloats(D);
    for (int x = threadIdx.x; x < D + 1; x += POOL_THREADS) {
        float a = 0.f;
        if (M != NEG_INF) {
            for (int k = 0; k < POOL_WARPS; k++) {
                if (sMax[k] != NEG_INF) a += (x == D ? sSum[k] : sAcc[k][x]) * exp2f(sMax[k] - M);
            }
        }
        if (x == D) out[1] = a; else out[2 + x] = a;
    }
    if (threadIdx.x == 0) out[0] = M;
}

/** Merges the chunk partials of head blockIdx.x, batch item blockIdx.y into g [B, E]; no valid token: 0. */
template <class P>
__device__ void additiveCombine(const float* part, float* g, int H, int chunks) {
    constexpr int D = P::HEAD_DIM;
    const int h = blockIdx.x, b = blockIdx.y;
    const float* rec = part + ((size_t) b * H + h) * chunks * partialFloats(D);
    float M = NEG_INF;
    for (int c = 0; c < chunks; c++) M = fmaxf(M, rec[c * partialFloats(D)]);
    float L = 0.f;
    if (M != NEG_INF) {
        for (int c = 0; c < chunks; c++) {
            const float mc = rec[c * partialFloats(D)];
            if (mc != NEG_INF) L += rec[c * partialFloats(D) + 1] * exp2f(mc - M);
        }
    }
    for (int x = threadIdx.x; x < D; x += blockDim.x) {
        float a = 0.f;
        if (M != NEG_INF) {
            for (int c = 0; c < chunks; c++) {
                const float mc = rec[c * partialFloats(D)];
                if (mc != NEG_INF) a += rec[c * partialFloats(D) + 2 + x] * exp2f(mc - M);
            }
            a /= L;
        }
        g[(size_t) b * H * D + h * D + x] = a;
    }
}

/**
 * Output tile (columns blockIdx.x·32.., tokens blockIdx.y·32.., batch item blockIdx.z):
 * u = g_k ⊙ v; out = W_r u + b_r + q with W_r [E, E] row-major, or out = u when wr is null;
 * padding tokens 0. Thread (tx, ty) computes column tx of rows ty + OUT_ROWS·r.
 */
template <class P, typename T>
__device__ void additiveOutput(const T* q, const T* v, const float* gk, const float* wr, const float* br,
                               const unsigned char* keyValid, T* out, int n, int H) {
    constexpr int D = P::HEAD_DIM;
    constexpr int RPT = OUT_TILE / OUT_ROWS;
    __shared__ float sU[OUT_TILE][OUT_TILE + 1];   // [token][x]
    __shared__ float sW[OUT_TILE][OUT_TILE + 1];   // [y][x]: lane tx reads row tx, its own bank
    const int E = H * D;
    const int b = blockIdx.z, y = blockIdx.x * OUT_TILE + threadIdx.x % OUT_TILE, ty = threadIdx.x / OUT_TILE;
    const int i0 = blockIdx.y * OUT_TILE;
    const float* g = gk + (size_t) b * E;
    bool valid[RPT];
    for (int r = 0; r < RPT; r++) {
        const int i = i0 + ty + OUT_ROWS * r;
        valid[r] = i < n && (keyValid == nullptr || keyValid[(size_t) b * n + i]);
    }
    if (wr == nullptr) {
        if (y >= E) return;
        for (int r = 0; r < RPT; r++) {
            const int i = i0 + ty + OUT_ROWS * r;
            if (i >= n) break;
            const size_t at = ((size_t) b * n + i) * E + y;
            out[at] = Elem<T>::store(valid[r] ? g[y] * Elem<T>::load(v[at]) : 0.f);
        }
        return;
    }
    float acc[RPT];
    for (int r = 0; r < RPT; r++) acc[r] = 0.f;
    const int tx = threadIdx.x % OUT_TILE, y0 = blockIdx.x * OUT_TILE;
    for (int x0 = 0; x0 < E; x0 += OUT_TILE) {
        const int x = x0 + tx;
        for (int r = 0; r < RPT; r++) {
            const int row = ty + OUT_ROWS * r;
            sU[row][tx] = valid[r] && x < E ? g[x] * Elem<T>::load(v[((size_t) b * n + i0 + row) * E + x]) : 0.f;
            sW[row][tx] = y0 + row < E && x < E ? wr[(size_t) (y0 + row) * E + x] : 0.f;
        }
        __syncthreads();
        for (int c = 0; c < OUT_TILE; c++) {
            const float wv = sW[tx][c];
            for (int r = 0; r < RPT; r++) acc[r] += sU[ty + OUT_ROWS * r][c] * wv;
        }
        __syncthreads();
    }
    if (y >= E) return;
    for (int r = 0; r < RPT; r++) {
        const int i = i0 + ty + OUT_ROWS * r;
        if (i >= n) break;
        const size_t at = ((size_t) b * n + i) * E + y;
        out[at] = Elem<T>::store(valid[r] ? acc[r] + br[y] + Elem<T>::load(q[at]) : 0.f);
    }
}

}  // namespace attnc
