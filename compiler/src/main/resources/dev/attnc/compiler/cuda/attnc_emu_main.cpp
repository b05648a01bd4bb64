// attnc_emu_main.cpp: the host side of the CPU-emulated CUDA backend (attnc run --backend
// cuda-emu, and the tests). Compiled with g++ together with generated .cu files, all under
// -include attnc_emu.h; attnc_emu_entries.inc (generated) lists the entries to link.
//
//   exe info             prints "entry threads queryTile" per entry
//   exe run DIR ENTRY    reads DIR/meta.txt and the inputs, launches ENTRY, writes DIR/out.f32
//
// Inputs are little-endian float32 (q, k, v, qg, kg, vg: converted here to the entry's dtype,
// round to nearest even), uint8 key_valid [B, n], int32 bind (dev.attnc.runtime.cuda.CudaBinding).
// The output is float32 (converted back from the entry's dtype).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "attnc_softmax.cuh"

namespace {

template <typename T> T fromFloat(float x);
template <> float fromFloat<float>(float x) { return x; }
template <> __half fromFloat<__half>(float x) { return __float2half_rn(x); }
template <> __nv_bfloat16 fromFloat<__nv_bfloat16>(float x) { return __float2bfloat16_rn(x); }
float toFloat(float x) { return x; }
float toFloat(__half x) { return __half2float(x); }
float toFloat(__nv_bfloat16 x) { return __bfloat162float(x); }

template <typename E>
bool readFile(const std::string& path, std::vector<E>& out) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return false;
    std::streamsize size = in.tellg();
    in.seekg(0);
    out.resize(size / sizeof(E));
    in.read(reinterpret_cast<char*>(out.data()), size);
    return (bool) in;
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "attnc-emu: %s\n", message.c_str());
    std::exit(2);
}

struct Meta {
    int batch, heads, n, headDim, layout, threads;
};

template <typename T>
using SoftmaxEntry = void (*)(const T*, const T*, const T*, const T*, const T*, const T*, const unsigned char*,
                              const int*, T*, int);

template <typename T>
std::vector<T> tensor(const std::string& dir, const char* name, size_t elements, bool required) {
    std::vector<float> f;
    if (!readFile(dir + "/" + name + ".f32", f)) {
        if (required) die(std::string("missing input ") + name);
        return {};
    }
    if (f.size() != elements) die(std::string("input ") + name + " has " + std::to_string(f.size()) + " floats, expected " +
                                  std::to_string(elements));
    std::vector<T> t(f.size());
    for (size_t x = 0; x < f.size(); x++) t[x] = fromFloat<T>(f[x]);
    return t;
}

template <typename T>
void runSoftmax(SoftmaxEntry<T> entry, const std::string& dir, const Meta& m) {
    size_t elements = (size_t) m.batch * m.heads * m.n * m.headDim;
    std::vector<T> q = tensor<T>(dir, "q", elements, true);
    std::vector<T> k = tensor<T>(dir, "k", elements, true);
    std::vector<T> v = tensor<T>(dir, "v", elements, true);
    std::vector<T> qg = tensor<T>(dir, "qg", elements, false);
    std::vector<T> kg = tensor<T>(dir, "kg", elements, false);
    std::vector<T> vg = tensor<T>(dir, "vg", elements, false);
    std::vector<unsigned char> valid;
    bool hasValid = readFile(dir + "/key_valid.u8", valid);
    if (hasValid && valid.size() != (size_t) m.batch * m.n) die("key_valid has the wrong size");
    std::vector<int> bind;
    if (!readFile(dir + "/bind.i32", bind) || bind.size() < 16 || bind[0] != 0x31545441) die("bad bind.i32");
    std::vector<T> out(elements, fromFloat<T>(0.f));
    attnc_emu::launch(dim3(bind[7], m.heads, m.batch), dim3(m.threads), entry, q.data(), k.data(), v.data(),
                      qg.empty() ? nullptr : qg.data(), kg.empty() ? nullptr : kg.data(),
                      vg.empty() ? nullptr : vg.data(), hasValid ? valid.data() : nullptr, bind.data(), out.data(),
                      m.layout);
    std::vector<float> f(elements);
    for (size_t x = 0; x < elements; x++) f[x] = toFloat(out[x]);
    std::ofstream o(dir + "/out.f32", std::ios::binary);
    o.write(reinterpret_cast<const char*>(f.data()), (std::streamsize) (f.size() * sizeof(float)));
    if (!o) die("cannot write out.f32");
}

struct Entry {
    const char* name;
    int dtype;   // 0 f32, 1 f16, 2 bf16
    void* fn;
    int threads;
    int queryTile;
};

#define ATTNC_SOFTMAX(NAME, D)                                                                              \
    {#NAME "_f32", 0, (void*) &NAME##_f32, attnc::Shape<D, false>::THREADS, attnc::Shape<D, false>::QT},   \
    {#NAME "_f16", 1, (void*) &NAME##_f16, attnc::Shape<D, true>::THREADS, attnc::Shape<D, true>::QT},     \
    {#NAME "_bf16", 2, (void*) &NAME##_bf16, attnc::Shape<D, true>::THREADS, attnc::Shape<D, true>::QT},

}  // namespace

#define ATTNC_DECLARE(NAME, D)                                                                               \
    extern "C" void NAME##_f32(const float*, const float*, const float*, const float*, const float*,        \
                               const float*, const unsigned char*, const int*, float*, int);                 \
    extern "C" void NAME##_f16(const __half*, const __half*, const __half*, const __half*, const __half*,   \
                               const __half*, const unsigned char*, const int*, __half*, int);               \
    extern "C" void NAME##_bf16(const __nv_bfloat16*, const __nv_bfloat16*, const __nv_bfloat16*,            \
                                const __nv_bfloat16*, const __nv_bfloat16*, const __nv_bfloat16*,            \
                                const unsigned char*, const int*, __nv_bfloat16*, int);
#define ATTNC_ENTRY(NAME, D) ATTNC_DECLARE(NAME, D)
#include "attnc_emu_entries.inc"
#undef ATTNC_ENTRY

namespace {
const Entry ENTRIES[] = {
#define ATTNC_ENTRY(NAME, D) ATTNC_SOFTMAX(NAME, D)
#include "attnc_emu_entries.inc"
#undef ATTNC_ENTRY
    {nullptr, 0, nullptr, 0, 0}};
}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "info") == 0) {
        for (const Entry* e = ENTRIES; e->name != nullptr; e++) std::printf("%s %d %d\n", e->name, e->threads, e->queryTile);
        return 0;
    }
    if (argc != 4 || std::strcmp(argv[1], "run") != 0) die("usage: info | run DIR ENTRY");
    std::string dir = argv[2];
    const Entry* entry = nullptr;
    for (const Entry* e = ENTRIES; e->name != nullptr; e++) {
        if (std::strcmp(e->name, argv[3]) == 0) entry = e;
    }
    if (entry == nullptr) die(std::string("no entry ") + argv[3]);
    Meta m{};
    std::ifstream meta(dir + "/meta.txt");
    if (!(meta >> m.batch >> m.heads >> m.n >> m.headDim >> m.layout)) die("bad meta.txt");
    m.threads = entry->threads;
    switch (entry->dtype) {
        case 0: runSoftmax<float>((SoftmaxEntry<float>) entry->fn, dir, m); break;
        case 1: runSoftmax<__half>((SoftmaxEntry<__half>) entry->fn, dir, m); break;
        default: runSoftmax<__nv_bfloat16>((SoftmaxEntry<__nv_bfloat16>) entry->fn, dir, m); break;
    }
    return 0;
}
