// Harness for reduce.cu, warp.cu, wmma.cu and atomics.cu under attnc_emu.h.
// Usage: functional <reduce N | warp BLOCK | wmma | atomics | throw | sleep>; prints "key=value" lines.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

__global__ void block_sum(const int* in, long long* partial, int n);
__global__ void warp_ops(int* out, double* dout);
__global__ void mm_half_bcol(const __half*, const __half*, float*, int, int, int, float, bool);
__global__ void mm_half_brow(const __half*, const __half*, float*, int, int, int, float, bool);
__global__ void mm_bf16_bcol(const __nv_bfloat16*, const __nv_bfloat16*, float*, int, int, int, float, bool);
__global__ void mm_bf16_brow(const __nv_bfloat16*, const __nv_bfloat16*, float*, int, int, int, float, bool);
__global__ void atomics(int* count, float* fsum, unsigned* usum, int* imax, int* exch);

static int reduce(int n) {
    std::vector<int> in(n);
    for (int i = 0; i < n; ++i) in[i] = i + 1;
    for (unsigned block : {32u, 64u, 256u}) {
        unsigned grid = (n + block - 1) / block;
        std::vector<long long> partial(grid, -1);
        attnc_emu::launch(dim3(grid), dim3(block), block_sum, in.data(), partial.data(), n);
        long long sum = 0;
        for (long long p : partial) sum += p;
        std::printf("sum.block%u=%lld\nblocks.block%u=%u\n", block, sum, block, grid);
    }
    return 0;
}

static int warp(unsigned block) {
    std::vector<int> out(block * 12, -999);
    std::vector<double> dout(block, -1);
    attnc_emu::launch(dim3(1), dim3(block), warp_ops, out.data(), dout.data());
    for (unsigned t = 0; t < block; ++t) {
        std::printf("t%u=", t);
        for (int k = 0; k < 12; ++k) std::printf(k ? ",%d" : "%d", out[t * 12 + k]);
        std::printf("\n");
    }
    for (unsigned w = 0; w * 32 < block; ++w) std::printf("dsum.w%u=%.4f\n", w, dout[w * 32]);
    return 0;
}

template <typename T, typename Kernel>
static double check_mm(const char* label, Kernel kernel, bool b_col, bool c_col, float fill, T (*conv)(float)) {
    const int M = 32, N = 32, K = 32;
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<T> a(M * K), b(K * N);
    std::vector<double> ad(M * K), bd(K * N);  // the rounded inputs, as doubles, in logical order
    for (int i = 0; i < M * K; ++i) {
        a[i] = conv(dist(rng));
        ad[i] = static_cast<float>(a[i]);
    }
    for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n) {
            T v = conv(dist(rng));
            bd[k * N + n] = static_cast<float>(v);
            b[b_col ? n * K + k : k * N + n] = v;
        }
    std::vector<float> c(M * N, NAN);
    // 4 tiles, 2 warps per block, 2 blocks.
    attnc_emu::launch(dim3(2), dim3(64), kernel, a.data(), b.data(), c.data(), M, N, K, fill, c_col);
    double maxerr = 0;
    for (int m = 0; m < M; ++m)
        for (int n = 0; n < N; ++n) {
            double ref = fill;
            for (int k = 0; k < K; ++k) ref += ad[m * K + k] * bd[k * N + n];
            double got = c_col ? c[n * M + m] : c[m * N + n];
            double err = std::isnan(got) ? 1e30 : std::fabs(got - ref);
            if (err > maxerr) maxerr = err;
        }
    std::printf("maxerr.%s=%.3g\n", label, maxerr);
    return maxerr;
}

static __half to_half(float f) { return __float2half(f); }
static __nv_bfloat16 to_bf16(float f) { return __float2bfloat16(f); }

static int wmma_all() {
    check_mm("half.bcol", mm_half_bcol, true, false, 0.0f, to_half);
    check_mm("half.brow", mm_half_brow, false, false, 1.5f, to_half);
    check_mm("half.brow.ccol", mm_half_brow, false, true, 0.0f, to_half);
    check_mm("bf16.bcol", mm_bf16_bcol, true, false, -2.0f, to_bf16);
    check_mm("bf16.brow", mm_bf16_brow, false, true, 0.25f, to_bf16);
    return 0;
}

static int atomics_all() {
    int count = 0, imax = -1, exch = 0;
    float fsum = 0;
    unsigned usum = 0;
    const unsigned blocks = 40, threads = 96;
    attnc_emu::launch(dim3(blocks), dim3(threads), atomics, &count, &fsum, &usum, &imax, &exch);
    std::printf("count=%d\nfsum=%.1f\nusum=%u\nimax=%d\nexch=%d\n", count, fsum, usum, imax, exch);
    return 0;
}

// Host-only kernel (nvcc device code cannot throw): thread 5 of block 1 throws while the others
// of its block wait at a barrier; the emulator must name block and thread and abort.
static void throwing_kernel(int* out) {
    if (blockIdx.x == 1 && threadIdx.x == 5) throw std::runtime_error("boom");
    __syncthreads();
    out[blockIdx.x * blockDim.x + threadIdx.x] = 1;
}

static int throwing() {
    std::vector<int> out(3 * 64, 0);
    attnc_emu::launch(dim3(3), dim3(64), throwing_kernel, out.data());
    std::printf("not reached\n");
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    std::string cmd = argv[1];
    if (cmd == "reduce" && argc == 3) return reduce(std::atoi(argv[2]));
    if (cmd == "warp" && argc == 3) return warp(static_cast<unsigned>(std::atoi(argv[2])));
    if (cmd == "wmma") return wmma_all();
    if (cmd == "atomics") return atomics_all();
    if (cmd == "throw") return throwing();
    if (cmd == "sleep") {
        std::this_thread::sleep_for(std::chrono::seconds(60));
        return 0;
    }
    std::fprintf(stderr, "usage: functional <reduce N | warp BLOCK | wmma | atomics | throw | sleep>\n");
    return 2;
}
