// Harness for tc.cu under attnc_emu.h.
// Usage: tc <mma | pack | ldmatrix | async | dyn | pending | uncommitted>; prints "key=value" lines.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

__global__ void mma_half(const __half*, const __half*, const float*, float*, int);
__global__ void mma_bf16(const __nv_bfloat16*, const __nv_bfloat16*, const float*, float*, int);
__global__ void pack_both(const float*, uint32_t*, int);
__global__ void ldmatrix_all(const int*, const int*, uint32_t*);
__global__ void async_groups(const uint4*, int*);
__global__ void dyn_shared(int*, unsigned);
__global__ void async_left_pending(const uint4*, int);

/**
 * Runs `cases` mma cases of `steps` chained products (2 warps per block) and prints, for label,
 * the largest |D - ref| / (|C| + sum |a b|) over all elements, ref computed in double. With
 * integer inputs everything is exact, so it also prints the number of inexact elements.
 */
template <typename T, typename Kernel>
static void mma_check(const char* label, Kernel kernel, T (*conv)(float), int steps, bool integers) {
    const int cases = 32;
    std::mt19937 rng(integers ? 7 : 11);
    std::uniform_real_distribution<float> real(-1.0f, 1.0f);
    std::uniform_int_distribution<int> small(-4, 4);
    auto draw = [&] { return integers ? static_cast<float>(small(rng)) : real(rng); };
    std::vector<T> a(cases * steps * 256), b(cases * steps * 128);
    std::vector<double> ad(a.size()), bd(b.size());
    for (size_t i = 0; i < a.size(); ++i) ad[i] = static_cast<float>(a[i] = conv(draw()));
    for (size_t i = 0; i < b.size(); ++i) bd[i] = static_cast<float>(b[i] = conv(draw()));
    std::vector<float> c(cases * 128), d(cases * 128, NAN);
    for (float& x : c) x = draw();
    attnc_emu::launch(dim3(cases / 2), dim3(64), kernel, a.data(), b.data(), c.data(), d.data(), steps);
    double maxrel = 0;
    int inexact = 0;
    for (int w = 0; w < cases; ++w)
        for (int m = 0; m < 16; ++m)
            for (int n = 0; n < 8; ++n) {
                double ref = c[w * 128 + m * 8 + n], mag = std::fabs(ref);
                for (int s = 0; s < steps; ++s)
                    for (int k = 0; k < 16; ++k) {
                        double p = ad[(w * steps + s) * 256 + m * 16 + k] * bd[(w * steps + s) * 128 + k * 8 + n];
                        ref += p;
                        mag += std::fabs(p);
                    }
                double got = d[w * 128 + m * 8 + n];
                if (got != ref) ++inexact;
                double rel = std::fabs(got - ref) / (mag > 0 ? mag : 1.0);
                if (!(rel <= maxrel)) maxrel = rel;  // NaN propagates
            }
    std::printf("maxrel.%s=%.3e\ninexact.%s=%d\nelements.%s=%d\n", label, maxrel, label, inexact, label, cases * 128);
}

static __half to_half(float x) { return __float2half_rn(x); }
static __nv_bfloat16 to_bf16(float x) { return __float2bfloat16_rn(x); }

static int mma() {
    for (int steps : {1, 2}) {
        for (bool integers : {false, true}) {
            std::string h = std::string("half.steps") + std::to_string(steps) + (integers ? ".int" : "");
            std::string bf = std::string("bf16.steps") + std::to_string(steps) + (integers ? ".int" : "");
            mma_check(h.c_str(), mma_half, to_half, steps, integers);
            mma_check(bf.c_str(), mma_bf16, to_bf16, steps, integers);
        }
    }
    return 0;
}

static int pack() {
    const float in[] = {1.0f, -2.0f, 1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f, 65520.0f, -0.0f};
    const int n = 4;
    std::vector<uint32_t> out(2 * n, 0xdeadbeef);
    attnc_emu::launch(dim3(1), dim3(32), pack_both, in, out.data(), n);
    for (int i = 0; i < n; ++i) std::printf("half%d=%08x\nbf16%d=%08x\n", i, out[2 * i], i, out[2 * i + 1]);
    return 0;
}

static int ldmatrix() {
    const int threads = 64, stride = 72;
    std::vector<int> rowIdx(threads), colOff(threads);
    for (int t = 0; t < threads; ++t) {
        rowIdx[t] = (t * 5 + 3 + t / 32 * 11) % 32;  // a permutation of the rows per warp
        colOff[t] = 8 * ((t / 8 + t % 3) % 9);       // 16-byte steps, 0..64 halves
    }
    std::vector<uint32_t> out(threads * 12, 0);
    attnc_emu::launch(dim3(1), dim3(threads), ldmatrix_all, rowIdx.data(), colOff.data(), out.data());
    // element (row r, col c) of matrix i as given by lane 8i + r of the caller's warp
    auto at = [&](int warp, int i, int r, int c) -> uint32_t {
        int src = warp * 32 + 8 * i + r;
        return static_cast<uint32_t>(rowIdx[src] * stride + colOff[src] + c);
    };
    int bad[4] = {0, 0, 0, 0}, checked = 0;
    for (int t = 0; t < threads; ++t) {
        int w = t / 32, lane = t % 32;
        const uint32_t* o = out.data() + t * 12;
        for (int i = 0; i < 4; ++i) {
            uint32_t plain = at(w, i, lane / 4, 2 * (lane % 4)) | at(w, i, lane / 4, 2 * (lane % 4) + 1) << 16;
            uint32_t trans = at(w, i, 2 * (lane % 4), lane / 4) | at(w, i, 2 * (lane % 4) + 1, lane / 4) << 16;
            bad[0] += o[i] != plain;
            bad[2] += o[6 + i] != trans;
            checked += 2;
            if (i < 2) {
                bad[1] += o[4 + i] != plain;
                bad[3] += o[10 + i] != trans;
                checked += 2;
            }
        }
    }
    std::printf("bad.x4=%d\nbad.x2=%d\nbad.x4trans=%d\nbad.x2trans=%d\nchecked=%d\n", bad[0], bad[1], bad[2], bad[3], checked);
    return 0;
}

static int async() {
    const int threads = 64;
    std::vector<uint4> src(threads * 4);
    for (size_t i = 0; i < src.size(); ++i) {
        unsigned v = static_cast<unsigned>(i) * 4;
        src[i] = uint4{v, v + 1, v + 2, v + 3};
    }
    std::vector<int> flags(threads * 8, -1);
    attnc_emu::launch_dynamic(dim3(1), dim3(threads), 3 * 16 * threads, async_groups, src.data(), flags.data());
    for (int f = 0; f < 8; ++f) {
        int ok = 0;
        for (int t = 0; t < threads; ++t) ok += flags[t * 8 + f] == 1;
        std::printf("flag%d=%d\n", f, ok);
    }
    return 0;
}

static int dyn() {
    const unsigned threads = 64, blocks = 3;
    for (unsigned bytes : {1000u, static_cast<unsigned>(attnc_emu::kMaxDynamicSharedBytes)}) {
        std::vector<int> flags(3 * threads * blocks, -1);
        attnc_emu::launch_dynamic(dim3(blocks), dim3(threads), bytes, dyn_shared, flags.data(), bytes);
        for (int f = 0; f < 3; ++f) {
            int ok = 0;
            for (unsigned i = 0; i < threads * blocks; ++i) ok += flags[3 * i + f] == 1;
            std::printf("bytes%u.flag%d=%d\n", bytes, f, ok);
        }
    }
    try {
        std::vector<int> flags(3 * threads);
        attnc_emu::launch_dynamic(dim3(1), dim3(threads), attnc_emu::kMaxDynamicSharedBytes + 1, dyn_shared, flags.data(), 1u);
        std::printf("toolarge=accepted\n");
    } catch (const std::invalid_argument& e) {
        std::printf("toolarge=%s\n", e.what());
    }
    return 0;
}

static int pending(bool commit) {
    std::vector<uint4> src(64);
    attnc_emu::launch_dynamic(dim3(2), dim3(64), 16 * 64, async_left_pending, src.data(), commit ? 1 : 0);
    std::printf("not reached\n");
    return 0;
}

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "mma") return mma();
    if (mode == "pack") return pack();
    if (mode == "ldmatrix") return ldmatrix();
    if (mode == "async") return async();
    if (mode == "dyn") return dyn();
    if (mode == "pending") return pending(true);
    if (mode == "uncommitted") return pending(false);
    std::fprintf(stderr, "usage: tc <mma | pack | ldmatrix | async | dyn | pending | uncommitted>\n");
    return 2;
}
