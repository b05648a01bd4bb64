// Harness for overflow.cu. Usage: overflow <heap | shared | clean>.
#include <cstdio>
#include <cstring>
#include <vector>

__global__ void read_next(const float* in, float* out, int n);
__global__ void shared_next(float* out);
__global__ void read_same(const float* in, float* out, int n);

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const int n = 64;
    std::vector<float> in(n, 1.0f), out(n, 0.0f);  // exactly n elements: in[n] is past the heap block
    if (std::strcmp(argv[1], "heap") == 0) {
        attnc_emu::launch(dim3(2), dim3(32), read_next, in.data(), out.data(), n);
    } else if (std::strcmp(argv[1], "shared") == 0) {
        attnc_emu::launch(dim3(1), dim3(32), shared_next, out.data());
    } else {
        attnc_emu::launch(dim3(2), dim3(32), read_same, in.data(), out.data(), n);
    }
    float s = 0;
    for (float v : out) s += v;
    std::printf("sum=%.1f\n", s);
    return 0;
}
