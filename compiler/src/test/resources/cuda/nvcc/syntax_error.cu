// Line 3 uses an undeclared name: nvcc must report it as syntax_error.cu(3): error.
extern "C" __global__ void broken(float* x) {
  x[threadIdx.x] = undeclared_value;
}
