// Shuffles and votes with known patterns. Each thread writes its results to out[tid * 12 + k].
__global__ void warp_ops(int* out, double* dout) {
    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const unsigned full = 0xffffffffu;
    int* o = out + tid * 12;
    o[0] = __shfl_sync(full, tid * 10, 5);           // broadcast lane 5 of the warp
    o[1] = __shfl_down_sync(full, lane, 3);           // lane + 3, own value past the end
    o[2] = __shfl_up_sync(full, lane, 2);             // lane - 2, own value before the start
    o[3] = __shfl_xor_sync(full, lane, 1);            // swap neighbours
    o[4] = __shfl_sync(full, lane, 0, 8);             // first lane of each group of 8
    o[5] = __shfl_down_sync(full, lane, 4, 16);       // down within halves of 16
    o[6] = static_cast<int>(__ballot_sync(full, lane % 3 == 0));
    o[7] = __any_sync(full, lane == 7);
    o[8] = __all_sync(full, lane < 31);
    o[9] = __all_sync(full, 1);
    o[10] = static_cast<int>(__ballot_sync(0x0000ffffu, 1));  // only lanes in the mask count
    float f = __shfl_xor_sync(full, 0.5f * lane, 16);
    o[11] = static_cast<int>(f * 2.0f);
    // A warp sum in double with __shfl_down_sync: lane 0 gets the sum of lane * 0.25.
    double d = 0.25 * lane;
    for (int offset = 16; offset > 0; offset >>= 1) d += __shfl_down_sync(full, d, offset);
    __syncwarp();
    dout[tid] = d;
}
