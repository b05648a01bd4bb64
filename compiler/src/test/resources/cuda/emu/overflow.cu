// Out-of-bounds reads for AddressSanitizer: one element past a heap buffer, one past a
// __shared__ array, and a correct kernel.
__global__ void read_next(const float* in, float* out, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = in[i + 1];  // bug: reads in[n] for the last i
}

__global__ void shared_next(float* out) {
    __shared__ float s[32];
    s[threadIdx.x] = static_cast<float>(threadIdx.x);
    __syncthreads();
    out[threadIdx.x] = s[threadIdx.x + 1];  // bug: reads s[32] for the last thread
}

__global__ void read_same(const float* in, float* out, int n) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = in[i];
}
