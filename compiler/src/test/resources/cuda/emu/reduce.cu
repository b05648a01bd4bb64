// Block sum: warp reduction with __shfl_xor_sync, partial sums of the warps in shared memory,
// __syncthreads, then the first warp reduces the partials. One partial sum per block.
__global__ void __launch_bounds__(256) block_sum(const int* __restrict__ in, long long* __restrict__ partial, int n) {
    __shared__ long long warp_sums[32];
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    long long v = i < n ? in[i] : 0;
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
    if (lane == 0) warp_sums[warp] = v;
    __syncthreads();
    if (warp == 0) {
        const int warps = (blockDim.x + warpSize - 1) / warpSize;
        long long w = lane < warps ? warp_sums[lane] : 0;
        for (int offset = 16; offset > 0; offset >>= 1) w += __shfl_xor_sync(0xffffffffu, w, offset);
        if (lane == 0) partial[blockIdx.x] = w;
    }
}
