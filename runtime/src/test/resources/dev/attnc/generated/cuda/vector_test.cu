// Source of vector_test.fatbin (a test resource), made with nvcc 13.0:
// nvcc -fatbin -gencode arch=compute_75,code=sm_75 -gencode arch=compute_80,code=sm_80
//   -gencode arch=compute_90,code=sm_90 -gencode arch=compute_75,code=compute_75 vector_test.cu -o vector_test.fatbin
extern "C" __global__ void vadd(const float* a, const float* b, float* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) c[i] = a[i] + b[i];
}
extern "C" __global__ void vscale(float* c, float s, int n) { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) c[i] *= s; }
