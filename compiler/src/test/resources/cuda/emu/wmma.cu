// C (M x N, float) = fill + A (M x K, row-major) * B (K x N); one warp per 16x16 tile of C,
// K = 32 so each tile accumulates two mma_sync steps. Block = 2 warps, tiles numbered
// blockIdx.x * 2 + warp, row-major over the tile grid.
#include <mma.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <type_traits>
using namespace nvcuda;

template <typename T, typename BLayout>
__device__ void tile_matmul(const T* a, const T* b, float* c, int M, int N, int K, float fill, bool col_major_out) {
    const int tile = blockIdx.x * (blockDim.x / warpSize) + threadIdx.x / warpSize;
    const int tm = tile / (N / 16);
    const int tn = tile % (N / 16);
    if (tm >= M / 16) return;
    wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> fa;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, T, BLayout> fb;
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
    wmma::fill_fragment(acc, fill);
    for (int k = 0; k < K; k += 16) {
        wmma::load_matrix_sync(fa, a + tm * 16 * K + k, K);
        if (std::is_same<BLayout, wmma::row_major>::value) {
            wmma::load_matrix_sync(fb, b + k * N + tn * 16, N);     // B stored K x N row-major
        } else {
            wmma::load_matrix_sync(fb, b + tn * 16 * K + k, K);     // B stored as N x K (column-major K x N)
        }
        wmma::mma_sync(acc, fa, fb, acc);
    }
    if (col_major_out) {
        wmma::store_matrix_sync(c + tn * 16 * M + tm * 16, acc, M, wmma::mem_col_major);
    } else {
        wmma::store_matrix_sync(c + tm * 16 * N + tn * 16, acc, N, wmma::mem_row_major);
    }
}

__global__ void mm_half_bcol(const __half* a, const __half* b, float* c, int M, int N, int K, float fill, bool cm) {
    tile_matmul<__half, wmma::col_major>(a, b, c, M, N, K, fill, cm);
}
__global__ void mm_half_brow(const __half* a, const __half* b, float* c, int M, int N, int K, float fill, bool cm) {
    tile_matmul<__half, wmma::row_major>(a, b, c, M, N, K, fill, cm);
}
__global__ void mm_bf16_bcol(const __nv_bfloat16* a, const __nv_bfloat16* b, float* c, int M, int N, int K, float fill, bool cm) {
    tile_matmul<__nv_bfloat16, wmma::col_major>(a, b, c, M, N, K, fill, cm);
}
__global__ void mm_bf16_brow(const __nv_bfloat16* a, const __nv_bfloat16* b, float* c, int M, int N, int K, float fill, bool cm) {
    tile_matmul<__nv_bfloat16, wmma::row_major>(a, b, c, M, N, K, fill, cm);
}
