// Each thread reads its right neighbour's element of a shared array. Without the barrier the
// read races with the neighbour's write (a bug on a GPU too); with it the kernel is correct.
__global__ void neighbour_racy(const float* in, float* out) {
    __shared__ float s[64];
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    s[threadIdx.x] = in[i];
    out[i] = s[(threadIdx.x + 1) % blockDim.x];
}

__global__ void neighbour_synced(const float* in, float* out) {
    __shared__ float s[64];
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    s[threadIdx.x] = in[i];
    __syncthreads();
    out[i] = s[(threadIdx.x + 1) % blockDim.x];
}
