// 48 values live at once; built with -maxrregcount=24 (the floor ptxas accepts), ptxas must spill.
extern "C" __global__ void spill(const float* in, float* out, int n) {
  float v[48];
  #pragma unroll
  for (int k = 0; k < 48; ++k) v[k] = in[threadIdx.x * 48 + k];
  for (int j = 0; j < n; ++j) {
    #pragma unroll
    for (int k = 0; k < 48; ++k) v[k] = v[k] * v[(k + 1) % 48] + v[(k + 7) % 48];
  }
  float s = 0;
  #pragma unroll
  for (int k = 0; k < 48; ++k) s += v[k] * (k + 1);
  out[threadIdx.x] = s;
}
