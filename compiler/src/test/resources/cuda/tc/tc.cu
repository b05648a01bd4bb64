// Test kernels for attnc_mma.cuh (tensor-core fragments, ldmatrix, cp.async, dynamic shared
// memory). They compile with nvcc for sm_75/80/90 and with g++ under attnc_emu.h; tc_main.cpp
// launches them on the CPU. The fragment layouts are written out here from the PTX ISA tables,
// independently of attnc_mma.cuh and attnc_emu.h.
#include <cstdint>
#include <cstring>
#include "attnc_mma.cuh"

using attnc::tc::FragA;
using attnc::tc::FragB;
using attnc::tc::FragC;

template <typename T>
__device__ uint32_t bits16(T v) {
    unsigned short u;
    memcpy(&u, &v, 2);
    return u;
}

template <typename T>
__device__ uint32_t two(T lo, T hi) {
    return bits16(lo) | (bits16(hi) << 16);
}

/**
 * One warp per case: D (16x8, row-major) = C + sum over steps s of A_s (16x16 row-major) * B_s
 * (16x8 row-major, k x n). Case = blockIdx.x * warps per block + warp.
 */
template <typename T>
__device__ void mma_cases(const T* a, const T* b, const float* c, float* d, int steps) {
    const int warp = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    const int lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
    const float* cc = c + warp * 128;
    FragC acc;
    acc.x[0] = cc[g * 8 + 2 * t];
    acc.x[1] = cc[g * 8 + 2 * t + 1];
    acc.x[2] = cc[(g + 8) * 8 + 2 * t];
    acc.x[3] = cc[(g + 8) * 8 + 2 * t + 1];
    for (int s = 0; s < steps; ++s) {
        const T* A = a + (warp * steps + s) * 256;
        const T* B = b + (warp * steps + s) * 128;
        FragA fa;
        fa.x[0] = two(A[g * 16 + 2 * t], A[g * 16 + 2 * t + 1]);
        fa.x[1] = two(A[(g + 8) * 16 + 2 * t], A[(g + 8) * 16 + 2 * t + 1]);
        fa.x[2] = two(A[g * 16 + 2 * t + 8], A[g * 16 + 2 * t + 9]);
        fa.x[3] = two(A[(g + 8) * 16 + 2 * t + 8], A[(g + 8) * 16 + 2 * t + 9]);
        FragB fb;
        fb.x[0] = two(B[(2 * t) * 8 + g], B[(2 * t + 1) * 8 + g]);
        fb.x[1] = two(B[(2 * t + 8) * 8 + g], B[(2 * t + 9) * 8 + g]);
        attnc::tc::mma<T>(acc, fa, fb);
    }
    float* dd = d + warp * 128;
    dd[g * 8 + 2 * t] = acc.x[0];
    dd[g * 8 + 2 * t + 1] = acc.x[1];
    dd[(g + 8) * 8 + 2 * t] = acc.x[2];
    dd[(g + 8) * 8 + 2 * t + 1] = acc.x[3];
}

__global__ void mma_half(const __half* a, const __half* b, const float* c, float* d, int steps) {
    mma_cases(a, b, c, d, steps);
}
__global__ void mma_bf16(const __nv_bfloat16* a, const __nv_bfloat16* b, const float* c, float* d, int steps) {
    mma_cases(a, b, c, d, steps);
}

/** out[2i] = pack<__half>(in[2i], in[2i+1]), out[2i+1] = pack<__nv_bfloat16>(same). */
__global__ void pack_both(const float* in, uint32_t* out, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[2 * i] = attnc::tc::pack<__half>(in[2 * i], in[2 * i + 1]);
        out[2 * i + 1] = attnc::tc::pack<__nv_bfloat16>(in[2 * i], in[2 * i + 1]);
    }
}

constexpr int kLdmRows = 32, kLdmStride = 72;  // halves per row: 64 + 8 of padding (144 bytes)

/**
 * Shared tile of 32 rows x 72 b16, element (r, c) = r * 72 + c. Thread (warp w, lane L) gives
 * the address of row rowIdx[tid] at column colOff[tid] (a multiple of 8). Writes 12 registers
 * per thread: x4, x2 (lanes 16..31 pass a null address, which x2 must ignore), x4.trans, x2.trans.
 */
__global__ void ldmatrix_all(const int* rowIdx, const int* colOff, uint32_t* out) {
    __shared__ __align__(16) unsigned short tile[kLdmRows * kLdmStride];
    for (int i = threadIdx.x; i < kLdmRows * kLdmStride; i += blockDim.x) tile[i] = static_cast<unsigned short>(i);
    __syncthreads();
    const int tid = threadIdx.x, lane = tid % 32;
    const unsigned short* row = tile + rowIdx[tid] * kLdmStride + colOff[tid];
    uint32_t r4[4], r2[2], t4[4], t2[2];
    attnc::tc::ldmatrix_x4(r4, row);
    attnc::tc::ldmatrix_x2(r2, lane < 16 ? row : nullptr);
    attnc::tc::ldmatrix_x4_trans(t4, row);
    attnc::tc::ldmatrix_x2_trans(t2, lane < 16 ? row : nullptr);
    uint32_t* o = out + tid * 12;
    for (int i = 0; i < 4; ++i) o[i] = r4[i];
    o[4] = r2[0];
    o[5] = r2[1];
    for (int i = 0; i < 4; ++i) o[6 + i] = t4[i];
    o[10] = t2[0];
    o[11] = t2[1];
}

__device__ bool same16(const unsigned char* p, const uint4* q) {
    const unsigned char* b = reinterpret_cast<const unsigned char*>(q);
    for (int i = 0; i < 16; ++i)
        if (p[i] != b[i]) return false;
    return true;
}

__device__ bool poisoned(const unsigned char* p, int n) {
    for (int i = 0; i < n; ++i)
        if (p[i] != 0xFF) return false;
    return true;
}

/**
 * cp.async groups on dynamic shared memory (3 * 16 * blockDim.x bytes). Thread t copies
 * src[4t..4t+3] (16 bytes each) into its regions R0, R1, R2 and records 8 flags (1 = as
 * expected under attnc_emu, where copies land at the wait; a GPU may land them earlier).
 */
__global__ void async_groups(const uint4* src, int* flags) {
    unsigned char* s = attnc::tc::dynamic_shared();
    const int t = threadIdx.x, n = blockDim.x;
    unsigned char* r0 = s + 16 * t;
    unsigned char* r1 = s + 16 * (n + t);
    unsigned char* r2 = s + 16 * (2 * n + t);
    const uint4* my = src + 4 * t;
    int* f = flags + 8 * t;
    attnc::tc::cp_async16(r0, my + 0);  // group 1: R0 <- src0
    attnc::tc::cp_async_commit();
    attnc::tc::cp_async16(r1, my + 1);  // group 2: R1 <- src1, R2 <- src0 then src2 (issue order)
    attnc::tc::cp_async16(r2, my + 0);
    attnc::tc::cp_async16(r2, my + 2);
    attnc::tc::cp_async_commit();
    attnc::tc::cp_async16(r2, my + 3);  // group 3: R2 <- src3
    attnc::tc::cp_async_commit();
    f[0] = poisoned(r0, 16) && poisoned(r1, 16) && poisoned(r2, 16);  // nothing before a wait
    attnc::tc::cp_async_wait<2>();
    f[1] = same16(r0, my + 0) && poisoned(r1, 16) && poisoned(r2, 16);  // only the oldest group
    attnc::tc::cp_async_wait<1>();
    f[2] = same16(r1, my + 1) && same16(r2, my + 2);  // group 2, last copy to R2 wins; not group 3
    attnc::tc::cp_async_wait<1>();                    // nothing more while one group is pending
    f[3] = same16(r2, my + 2);
    attnc::tc::cp_async_wait<0>();
    f[4] = same16(r2, my + 3);  // group 3 after groups 1 and 2
    attnc::tc::cp_async16(r0, my + 1);  // an open group is not waited for
    attnc::tc::cp_async_wait<0>();
    f[5] = same16(r0, my + 0);
    attnc::tc::cp_async_commit();
    attnc::tc::cp_async_wait<0>();
    f[6] = same16(r0, my + 1);
    __syncthreads();  // other threads' copies are visible after their wait and a barrier
    const int u = (t + 1) % n;
    f[7] = same16(s + 16 * (n + u), src + 4 * u + 1) && same16(s + 16 * (2 * n + u), src + 4 * u + 3);
}

/**
 * Dynamic shared memory of `bytes`: flags[3 * (block * blockDim.x + t) + i] = aligned to 16,
 * all 0xFF when the block starts (this thread's share of the bytes), written by the neighbour
 * thread and read back (shared by the block, last byte included).
 */
__global__ void dyn_shared(int* flags, unsigned bytes) {
    unsigned char* p = attnc::tc::dynamic_shared();
    const unsigned t = threadIdx.x, n = blockDim.x;
    int* f = flags + 3 * (blockIdx.x * n + t);
    f[0] = (reinterpret_cast<uintptr_t>(p) % 16) == 0;
    const unsigned share = (bytes + n - 1) / n;
    const unsigned from = t * share < bytes ? t * share : bytes;
    const unsigned to = from + share < bytes ? from + share : bytes;
    f[1] = poisoned(p + from, static_cast<int>(to - from));
    __syncthreads();
    reinterpret_cast<int*>(p)[t] = static_cast<int>(blockIdx.x * 1000 + t);
    if (t == 0) p[bytes - 1] = 0x5A;
    __syncthreads();
    const unsigned u = (t + 1) % n;
    f[2] = reinterpret_cast<int*>(p)[u] == static_cast<int>(blockIdx.x * 1000 + u) && p[bytes - 1] == 0x5A;
    __syncthreads();  // everybody has read before the block ends
}

/** Ends the block with a cp.async group not waited for (committed or not): the emulator aborts. */
__global__ void async_left_pending(const uint4* src, int commit) {
    unsigned char* s = attnc::tc::dynamic_shared();
    attnc::tc::cp_async16(s + 16 * threadIdx.x, src + threadIdx.x);
    if (commit) attnc::tc::cp_async_commit();
}
