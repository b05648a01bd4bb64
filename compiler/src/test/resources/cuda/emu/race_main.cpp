// Harness for race.cu. Usage: race <racy | synced>; prints "ok" when the synced result is right.
#include <cstdio>
#include <cstring>
#include <vector>

__global__ void neighbour_racy(const float* in, float* out);
__global__ void neighbour_synced(const float* in, float* out);

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const int blocks = 2, threads = 64, n = blocks * threads;
    std::vector<float> in(n), out(n, -1);
    for (int i = 0; i < n; ++i) in[i] = static_cast<float>(i);
    bool racy = std::strcmp(argv[1], "racy") == 0;
    attnc_emu::launch(dim3(blocks), dim3(threads), racy ? neighbour_racy : neighbour_synced, in.data(), out.data());
    int wrong = 0;
    for (int i = 0; i < n; ++i) {
        int b = i / threads, t = i % threads;
        if (out[i] != in[b * threads + (t + 1) % threads]) ++wrong;
    }
    std::printf("wrong=%d\n", wrong);
    return 0;
}
