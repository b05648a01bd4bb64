// attnc_mma.cuh -- the thin tensor-core and async-copy layer of the attnc CUDA engines.
//
// Warp-level mma.sync.aligned.m16n8k16 with fp32 accumulation, ldmatrix, cp.async (16 bytes,
// .cg) and the block's dynamic shared memory, with the PTX register layouts spelled out below.
//
// Architectures:
//  * sm_80 and newer: inline PTX (mma.sync m16n8k16 f16/bf16, ldmatrix, cp.async.cg).
//  * sm_75 (Turing): ldmatrix is native; mma<__half> is two m16n8k8 mma.sync (k 0..7, then
//    8..15); mma<__nv_bfloat16> has no tensor-core instruction on sm_75 and is computed on the
//    CUDA cores: each lane gathers its two rows of A and two columns of B with 32 warp shuffles
//    and does 64 fp32 multiply-adds (correct, about an order of magnitude slower); cp_async16
//    is a plain synchronous 16-byte copy and commit/wait do nothing (a __syncthreads after the
//    wait still orders the copies for the other threads, as the engine needs anyway).
//  * Under ATTNC_EMU (g++ with attnc_emu.h force-included): the attnc_emu::tc stand-ins, which
//    follow the same layouts lane by lane; cp.async copies are deferred to the wait there (see
//    attnc_emu.h), so reading a destination before its wait fails in the CPU tests.
//
// Contract for cp.async (all targets): do not read a destination, nor write a source, between
// cp_async16 and the cp_async_wait that covers its group (plus a __syncthreads before other
// threads read it). Every thread must wait for all its groups (cp_async_wait<0>) before the
// kernel ends.
#pragma once

#ifndef ATTNC_EMU
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <cstdint>
#endif

namespace attnc::tc {

/** A: 16x16 row-major tile of mma.m16n8k16, 4 x .b32 (two 16-bit elements each, low half = lower column).
 *  lane = 4*group + tig (group = lane>>2, tig = lane&3):
 *  x[0] = (row group,   cols 2tig, 2tig+1)   x[1] = (row group+8, cols 2tig, 2tig+1)
 *  x[2] = (row group,   cols 2tig+8, +9)     x[3] = (row group+8, cols 2tig+8, +9)  */
struct FragA {
    uint32_t x[4];
};
/** B: 16x8 (k x n) tile: x[0] = (k 2tig, 2tig+1; n group), x[1] = (k 2tig+8, +9; n group). */
struct FragB {
    uint32_t x[2];
};
/** C/D: 16x8 fp32: x[0],x[1] = (row group, cols 2tig, 2tig+1); x[2],x[3] = (row group+8, same cols). */
struct FragC {
    float x[4];
};

/** d += a * b with fp32 accumulation; T = __half or __nv_bfloat16 (mma.sync.aligned.m16n8k16.row.col.f32.T.T.f32). Warp-collective. */
template <typename T>
__device__ void mma(FragC& d, const FragA& a, const FragB& b);

/** Two floats as one .b32 of T2, round to nearest even, lo in the low 16 bits. */
template <typename T>
__device__ uint32_t pack(float lo, float hi);

template <>
__device__ __forceinline__ uint32_t pack<__half>(float lo, float hi) {
    const __half2 h = __floats2half2_rn(lo, hi);
    return static_cast<uint32_t>(__half_as_ushort(h.x)) | (static_cast<uint32_t>(__half_as_ushort(h.y)) << 16);
}

template <>
__device__ __forceinline__ uint32_t pack<__nv_bfloat16>(float lo, float hi) {
    const __nv_bfloat162 h = __floats2bfloat162_rn(lo, hi);
    return static_cast<uint32_t>(__bfloat16_as_ushort(h.x)) | (static_cast<uint32_t>(__bfloat16_as_ushort(h.y)) << 16);
}

#ifdef ATTNC_EMU

template <>
inline void mma<__half>(FragC& d, const FragA& a, const FragB& b) {
    attnc_emu::tc::mma_m16n8k16<false>(d.x, a.x, b.x);
}
template <>
inline void mma<__nv_bfloat16>(FragC& d, const FragA& a, const FragB& b) {
    attnc_emu::tc::mma_m16n8k16<true>(d.x, a.x, b.x);
}
inline void ldmatrix_x4(uint32_t (&r)[4], const void* row) { attnc_emu::tc::ldmatrix(r, 4, false, row); }
inline void ldmatrix_x2(uint32_t (&r)[2], const void* row) { attnc_emu::tc::ldmatrix(r, 2, false, row); }
inline void ldmatrix_x4_trans(uint32_t (&r)[4], const void* row) { attnc_emu::tc::ldmatrix(r, 4, true, row); }
inline void ldmatrix_x2_trans(uint32_t (&r)[2], const void* row) { attnc_emu::tc::ldmatrix(r, 2, true, row); }
inline void cp_async16(void* smem, const void* gmem) { attnc_emu::tc::cp_async16(smem, gmem); }
inline void cp_async_commit() { attnc_emu::tc::cp_async_commit(); }
template <int N>
inline void cp_async_wait() {
    static_assert(N >= 0, "cp_async_wait<N>: N >= 0");
    attnc_emu::tc::cp_async_wait(N);
}
inline unsigned char* dynamic_shared() { return attnc_emu::dynamic_shared(); }

#else  // nvcc

namespace detail {
__device__ __forceinline__ uint32_t smem_addr(const void* p) {
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
/** mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32 (sm_75): d += A(16x8) * B(8x8). */
__device__ __forceinline__ void mma_m16n8k8_f16(FragC& d, uint32_t a0, uint32_t a1, uint32_t b0) {
    asm volatile(
            "mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%0,%1,%2,%3};\n"
            : "+f"(d.x[0]), "+f"(d.x[1]), "+f"(d.x[2]), "+f"(d.x[3])
            : "r"(a0), "r"(a1), "r"(b0));
}

__device__ __forceinline__ float bf16_lo(uint32_t r) { return __uint_as_float(r << 16); }
__device__ __forceinline__ float bf16_hi(uint32_t r) { return __uint_as_float(r & 0xffff0000u); }

/**
 * The bf16 m16n8k16 product on CUDA cores (sm_75 has no bf16 mma): lane (group, tig) fetches
 * rows group and group+8 of A from lanes 4*group+q and columns 2tig, 2tig+1 of B from lanes
 * 4*(2tig)+q and 4*(2tig+1)+q (q = 0..3), then sums C and the 16 products in order of k.
 */
__device__ __forceinline__ void mma_bf16_cuda_cores(FragC& d, const FragA& a, const FragB& b) {
    unsigned lane;
    asm("mov.u32 %0, %%laneid;\n" : "=r"(lane));
    const int group = static_cast<int>(lane >> 2), tig = static_cast<int>(lane & 3u);
    float a0[16], a1[16], b0[16], b1[16];
#pragma unroll
    for (int q = 0; q < 4; ++q) {
        const int srcA = 4 * group + q, srcB0 = 4 * (2 * tig) + q, srcB1 = 4 * (2 * tig + 1) + q;
        const uint32_t r0 = __shfl_sync(0xffffffffu, a.x[0], srcA);  // row group, k 2q..2q+1
        const uint32_t r1 = __shfl_sync(0xffffffffu, a.x[1], srcA);  // row group+8
        const uint32_t r2 = __shfl_sync(0xffffffffu, a.x[2], srcA);  // row group, k 2q+8..
        const uint32_t r3 = __shfl_sync(0xffffffffu, a.x[3], srcA);  // row group+8, k 2q+8..
        const uint32_t c0 = __shfl_sync(0xffffffffu, b.x[0], srcB0);  // col 2tig, k 2q..
        const uint32_t c1 = __shfl_sync(0xffffffffu, b.x[1], srcB0);  // col 2tig, k 2q+8..
        const uint32_t e0 = __shfl_sync(0xffffffffu, b.x[0], srcB1);  // col 2tig+1
        const uint32_t e1 = __shfl_sync(0xffffffffu, b.x[1], srcB1);
        a0[2 * q] = bf16_lo(r0), a0[2 * q + 1] = bf16_hi(r0), a0[2 * q + 8] = bf16_lo(r2), a0[2 * q + 9] = bf16_hi(r2);
        a1[2 * q] = bf16_lo(r1), a1[2 * q + 1] = bf16_hi(r1), a1[2 * q + 8] = bf16_lo(r3), a1[2 * q + 9] = bf16_hi(r3);
        b0[2 * q] = bf16_lo(c0), b0[2 * q + 1] = bf16_hi(c0), b0[2 * q + 8] = bf16_lo(c1), b0[2 * q + 9] = bf16_hi(c1);
        b1[2 * q] = bf16_lo(e0), b1[2 * q + 1] = bf16_hi(e0), b1[2 * q + 8] = bf16_lo(e1), b1[2 * q + 9] = bf16_hi(e1);
    }
#pragma unroll
    for (int k = 0; k < 16; ++k) {
        d.x[0] = __fmaf_rn(a0[k], b0[k], d.x[0]);
        d.x[1] = __fmaf_rn(a0[k], b1[k], d.x[1]);
        d.x[2] = __fmaf_rn(a1[k], b0[k], d.x[2]);
        d.x[3] = __fmaf_rn(a1[k], b1[k], d.x[3]);
    }
}
#endif
}  // namespace detail

template <>
__device__ __forceinline__ void mma<__half>(FragC& d, const FragA& a, const FragB& b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
    detail::mma_m16n8k8_f16(d, a.x[0], a.x[1], b.x[0]);
    detail::mma_m16n8k8_f16(d, a.x[2], a.x[3], b.x[1]);
#else
    asm volatile(
            "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
            : "+f"(d.x[0]), "+f"(d.x[1]), "+f"(d.x[2]), "+f"(d.x[3])
            : "r"(a.x[0]), "r"(a.x[1]), "r"(a.x[2]), "r"(a.x[3]), "r"(b.x[0]), "r"(b.x[1]));
#endif
}

template <>
__device__ __forceinline__ void mma<__nv_bfloat16>(FragC& d, const FragA& a, const FragB& b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
    detail::mma_bf16_cuda_cores(d, a, b);
#else
    asm volatile(
            "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
            : "+f"(d.x[0]), "+f"(d.x[1]), "+f"(d.x[2]), "+f"(d.x[3])
            : "r"(a.x[0]), "r"(a.x[1]), "r"(a.x[2]), "r"(a.x[3]), "r"(b.x[0]), "r"(b.x[1]));
#endif
}

/** ldmatrix.sync.aligned.m8n8.{x4,x2}{,.trans}.shared.b16: lane L gives the address of row (L % 8) of matrix (L / 8)
 *  (x2: lanes 0-15 matter); without .trans r[i] = (row lane/4, cols 2(lane%4), +1) of matrix i; with .trans
 *  r[i] = (rows 2(lane%4), +1; col lane/4) of matrix i. Rows are 16 bytes, 16-byte aligned. Warp-collective. */
__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], const void* row) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(detail::smem_addr(row))
                 : "memory");
}
__device__ __forceinline__ void ldmatrix_x2(uint32_t (&r)[2], const void* row) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0,%1}, [%2];\n"
                 : "=r"(r[0]), "=r"(r[1])
                 : "r"(detail::smem_addr(row))
                 : "memory");
}
__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t (&r)[4], const void* row) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(detail::smem_addr(row))
                 : "memory");
}
__device__ __forceinline__ void ldmatrix_x2_trans(uint32_t (&r)[2], const void* row) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];\n"
                 : "=r"(r[0]), "=r"(r[1])
                 : "r"(detail::smem_addr(row))
                 : "memory");
}

/** cp.async.cg.shared.global 16 bytes (both addresses 16-byte aligned); commit closes a group; wait<N> waits until at most N of this thread's groups are pending. */
__device__ __forceinline__ void cp_async16(void* smem, const void* gmem) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
    *static_cast<uint4*>(smem) = *static_cast<const uint4*>(gmem);
#else
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(detail::smem_addr(smem)), "l"(gmem) : "memory");
#endif
}
__device__ __forceinline__ void cp_async_commit() {
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
    asm volatile("cp.async.commit_group;\n" ::: "memory");
#endif
}
template <int N>
__device__ __forceinline__ void cp_async_wait() {
    static_assert(N >= 0, "cp_async_wait<N>: N >= 0");
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
#endif
}

/** The block's dynamic shared memory (extern __shared__, 16-byte aligned). */
__device__ __forceinline__ unsigned char* dynamic_shared() {
    extern __shared__ __align__(16) unsigned char attnc_tc_dynamic_shared[];
    return attnc_tc_dynamic_shared;
}

#endif  // ATTNC_EMU

}  // namespace attnc::tc
