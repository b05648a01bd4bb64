// A non-inlined __device__ function: ptxas prints "Function properties" for it outside any entry block.
__device__ __noinline__ float helper(float x) {
  float a[8];
  for (int i = 0; i < 8; ++i) a[i] = x * i;
  return a[(int)x & 7];
}

extern "C" __global__ void k1(float* x) { x[threadIdx.x] = helper(x[threadIdx.x]); }

__constant__ float table[16];
extern "C" __global__ void k2(float* x) { x[threadIdx.x] = table[threadIdx.x & 15]; }
