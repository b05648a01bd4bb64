// Every thread of every block updates the same counters.
__global__ void atomics(int* count, float* fsum, unsigned* usum, int* imax, int* exch) {
    const int gid = blockIdx.x * blockDim.x + threadIdx.x;
    atomicAdd(count, 1);
    atomicAdd(fsum, 0.5f);
    atomicAdd(usum, static_cast<unsigned>(gid));
    atomicMax(imax, gid);
    atomicExch(exch, 7);
}
