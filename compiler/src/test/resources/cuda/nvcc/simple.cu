// Two small kernels for the nvcc build tests: no spills, one with static shared memory.
extern "C" __global__ void axpy(float a, const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

extern "C" __global__ void tile_sum(const float* x, float* out) {
  __shared__ float buf[96];
  buf[threadIdx.x] = x[blockIdx.x * 96 + threadIdx.x];
  __syncthreads();
  if (threadIdx.x == 0) {
    float s = 0;
    for (int k = 0; k < 96; ++k) s += buf[k];
    out[blockIdx.x] = s;
  }
}
