// attnc_emu_main.cpp: the host side of the CPU-emulated CUDA backend (attnc run --backend
// cuda-emu, and the tests). Compiled with g++ together with generated .cu files, all under
// -include attnc_emu.h; attnc_emu_entries.inc (generated) lists the entries to link.
//
//   exe info             prints "entry threads queryTile sharedBytes" per entry (additive: queryTile 0,
//                        sharedBytes 0; softmax: attnc::Shape<D, TENSOR>::SMEM_BYTES, the dynamic shared memory)
//   exe run DIR ENTRY    reads DIR/meta.txt and the inputs, launches ENTRY, writes DIR/out.f32
//
// Softmax entries (NAME_f32 ...) launch the generated entry once over grid (bind[7], H, B) with
// the entry's dynamic shared memory and a zeroed work buffer of bind[12] floats (null when 0).
// Inputs are little-endian float32 (q, k, v, qg, kg, vg: converted here to the entry's dtype,
// round to nearest even; k, v, kg, vg hold bind[13] kv heads when it is not 0), uint8
// key_valid [B, n], int32 bind (dev.attnc.runtime.cuda.CudaBinding, version 2: MAGIC 'ATT2').
// Additive entries (NAME_f32 ... of an ATTNC_ADDITIVE pattern) run the five launches of
// attnc_additive.cuh; inputs q, k, v (optional: v = q), token-major [B, n, H·D], converted to
// the dtype; fp32 w_q, b_q, w_k, b_k and optional w_r, b_r as they are.
// The output is float32 (converted back from the entry's dtype).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "attnc_softmax.cuh"
#include "attnc_additive.cuh"


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
    int batch, heads, n, headDim, layout, threads, sharedBytes;
};

template <typename T>
using SoftmaxEntry = void (*)(const T*, const T*, const T*, const T*, const T*, const T*, const unsigned char*,
                              const int*, float*, T*, int);

/** Input NAME.f32 as fp32, checked to hold `elements` floats; empty when optional and absent. */
std::vector<float> weights(const std::string& dir, const char* name, size_t elements, bool required) {
    std::vector<float> f;
    if (!readFile(dir + "/" + name + ".f32", f)) {
        if (required) die(std::string("missing input ") + name);
        return {};
    }
    if (f.size() != elements) die(std::string("input ") + name + " has " + std::to_string(f.size()) + " floats, expected " +
                                  std::to_string(elements));
    return f;
}

/** Input NAME.f32 converted to the entry's dtype. */
template <typename T>
std::vector<T> tensor(const std::string& dir, const char* name, size_t elements, bool required) {
    std::vector<float> f = weights(dir, name, elements, required);
    std::vector<T> t(f.size());
    for (size_t x = 0; x < f.size(); x++) t[x] = fromFloat<T>(f[x]);
    return t;
}

template <typename T>
void runSoftmax(SoftmaxEntry<T> entry, const std::string& dir, const Meta& m) {
    size_t elements = (size_t) m.batch * m.heads * m.n * m.headDim;
    std::vector<int> bind;
    if (!readFile(dir + "/bind.i32", bind) || bind.size() < 16 || bind[0] != 0x32545441) die("bad bind.i32");
    if (bind[12] < 0) die("bad bind.i32: negative work size");
    if (bind[13] < 0 || (bind[13] > 0 && m.heads % bind[13] != 0)) die("bad bind.i32: kv heads do not divide heads");
    // k, v, kg, vg hold the kv heads (bind[13]; 0 means every head).
    size_t kvElements = (size_t) m.batch * (bind[13] > 0 ? bind[13] : m.heads) * m.n * m.headDim;
    std::vector<T> q = tensor<T>(dir, "q", elements, true);
    std::vector<T> k = tensor<T>(dir, "k", kvElements, true);
    std::vector<T> v = tensor<T>(dir, "v", kvElements, true);
    std::vector<T> qg = tensor<T>(dir, "qg", elements, false);
    std::vector<T> kg = tensor<T>(dir, "kg", kvElements, false);
    std::vector<T> vg = tensor<T>(dir, "vg", kvElements, false);
    std::vector<unsigned char> valid;
    bool hasValid = readFile(dir + "/key_valid.u8", valid);
    if (hasValid && valid.size() != (size_t) m.batch * m.n) die("key_valid has the wrong size");
    std::vector<float> work((size_t) bind[12], 0.f);
    std::vector<T> out(elements, fromFloat<T>(0.f));
    attnc_emu::launch_dynamic(dim3(bind[7], m.heads, m.batch), dim3(m.threads), (size_t) m.sharedBytes, entry,
                              (const T*) q.data(), (const T*) k.data(), (const T*) v.data(),
                              (const T*) (qg.empty() ? nullptr : qg.data()), (const T*) (kg.empty() ? nullptr : kg.data()),
                              (const T*) (vg.empty() ? nullptr : vg.data()),
                              (const unsigned char*) (hasValid ? valid.data() : nullptr), (const int*) bind.data(),
                              work.empty() ? nullptr : work.data(), out.data(), m.layout);
    std::vector<float> f(elements);
    for (size_t x = 0; x < elements; x++) f[x] = toFloat(out[x]);
    std::ofstream o(dir + "/out.f32", std::ios::binary);
    o.write(reinterpret_cast<const char*>(f.data()), (std::streamsize) (f.size() * sizeof(float)));
    if (!o) die("cannot write out.f32");
}

template <typename T>
using PoolEntry = void (*)(const T*, const float*, const float*, const float*, const unsigned char*, float*, int, int);
using CombineEntry = void (*)(const float*, float*, int, int);
template <typename T>
using OutEntry = void (*)(const T*, const T*, const float*, const float*, const float*, const unsigned char*, T*, int,
                          int);

/** The host code of an additive call: the five launches of attnc_additive.cuh, in order. */
template <typename T>
void runAdditive(PoolEntry<T> pool, CombineEntry combine, OutEntry<T> outEntry, int matrix, const std::string& dir,
                 const Meta& m) {
    const size_t E = (size_t) m.heads * m.headDim;
    const size_t elements = (size_t) m.batch * m.n * E;
    std::vector<T> q = tensor<T>(dir, "q", elements, true);
    std::vector<T> k = tensor<T>(dir, "k", elements, true);
    std::vector<T> v = tensor<T>(dir, "v", elements, false);
    const size_t wSize = matrix ? m.heads * E : E;
    std::vector<float> wq = weights(dir, "w_q", wSize, true), bq = weights(dir, "b_q", m.heads, true);
    std::vector<float> wk = weights(dir, "w_k", wSize, true), bk = weights(dir, "b_k", m.heads, true);
    std::vector<float> wr = weights(dir, "w_r", E * E, false), br = weights(dir, "b_r", E, false);
    if (wr.empty() != br.empty()) die("w_r and b_r go together");
    std::vector<unsigned char> valid;
    bool hasValid = readFile(dir + "/key_valid.u8", valid);
    if (hasValid && valid.size() != (size_t) m.batch * m.n) die("key_valid has the wrong size");
    const unsigned char* kv = hasValid ? valid.data() : nullptr;
    const int chunks = attnc::poolChunks(m.n);
    std::vector<float> part((size_t) m.batch * m.heads * chunks * attnc::partialFloats(m.headDim));
    std::vector<float> gq((size_t) m.batch * E), gk((size_t) m.batch * E);
    std::vector<T> out(elements, fromFloat<T>(0.f));
    const dim3 poolGrid(chunks, m.heads, m.batch), combineGrid(m.heads, m.batch);
    attnc_emu::launch(poolGrid, dim3(attnc::POOL_THREADS), pool, (const T*) q.data(), (const float*) nullptr,
                      (const float*) wq.data(), (const float*) bq.data(), kv, part.data(), m.n, m.heads);
    attnc_emu::launch(combineGrid, dim3(attnc::COMBINE_THREADS), combine, (const float*) part.data(), gq.data(), m.heads,
                      chunks);
    attnc_emu::launch(poolGrid, dim3(attnc::POOL_THREADS), pool, (const T*) k.data(), (const float*) gq.data(),
                      (const float*) wk.data(), (const float*) bk.data(), kv, part.data(), m.n, m.heads);
    attnc_emu::launch(combineGrid, dim3(attnc::COMBINE_THREADS), combine, (const float*) part.data(), gk.data(), m.heads,
                      chunks);
    const unsigned tiles = (unsigned) ((E + attnc::OUT_TILE - 1) / attnc::OUT_TILE);
    attnc_emu::launch(dim3(tiles, (m.n + attnc::OUT_TILE - 1) / attnc::OUT_TILE, m.batch), dim3(attnc::OUT_THREADS),
                      outEntry, (const T*) q.data(), (const T*) (v.empty() ? q.data() : v.data()), (const float*) gk.data(),
                      (const float*) (wr.empty() ? nullptr : wr.data()), (const float*) (br.empty() ? nullptr : br.data()),
                      kv, out.data(), m.n, m.heads);
    std::vector<float> f(elements);
    for (size_t x = 0; x < elements; x++) f[x] = toFloat(out[x]);
    std::ofstream o(dir + "/out.f32", std::ios::binary);
    o.write(reinterpret_cast<const char*>(f.data()), (std::streamsize) (f.size() * sizeof(float)));
    if (!o) die("cannot write out.f32");
}

struct Entry {
    const char* name;
    int dtype;   // 0 f32, 1 f16, 2 bf16
    void* fn;    // softmax: the entry; additive: its pool entry
    int threads;
    int queryTile;
    int sharedBytes;
    bool additive;
    void* combine;
    void* out;
    int matrix;
};

#define ATTNC_SOFTMAX(NAME, D)                                                                              \
    {#NAME "_f32", 0, (void*) &NAME##_f32, attnc::Shape<D, false>::THREADS, attnc::Shape<D, false>::QT,      \
     attnc::Shape<D, false>::SMEM_BYTES},                                                                   \
    {#NAME "_f16", 1, (void*) &NAME##_f16, attnc::Shape<D, true>::THREADS, attnc::Shape<D, true>::QT,        \
     attnc::Shape<D, true>::SMEM_BYTES},                                                                    \
    {#NAME "_bf16", 2, (void*) &NAME##_bf16, attnc::Shape<D, true>::THREADS, attnc::Shape<D, true>::QT,      \
     attnc::Shape<D, true>::SMEM_BYTES},
#define ATTNC_ADDITIVE_ROWS(NAME, D, MATRIX)                                                                    \
    {#NAME "_f32", 0, (void*) &NAME##_pool_f32, attnc::POOL_THREADS, 0, 0, true, (void*) &NAME##_combine,          \
     (void*) &NAME##_out_f32, MATRIX},                                                                           \
    {#NAME "_f16", 1, (void*) &NAME##_pool_f16, attnc::POOL_THREADS, 0, 0, true, (void*) &NAME##_combine,          \
     (void*) &NAME##_out_f16, MATRIX},                                                                           \
    {#NAME "_bf16", 2, (void*) &NAME##_pool_bf16, attnc::POOL_THREADS, 0, 0, true, (void*) &NAME##_combine,        \
     (void*) &NAME##_out_bf16, MATRIX},

}  // namespace

#define ATTNC_DECLARE(NAME, D)                                                                               \
    extern "C" void NAME##_f32(const float*, const float*, const float*, const float*, const float*,        \
                               const float*, const unsigned char*, const int*, float*, float*, int);         \
    extern "C" void NAME##_f16(const __half*, const __half*, const __half*, const __half*, const __half*,   \
                               const __half*, const unsigned char*, const int*, float*, __half*, int);       \
    extern "C" void NAME##_bf16(const __nv_bfloat16*, const __nv_bfloat16*, const __nv_bfloat16*,            \
                                const __nv_bfloat16*, const __nv_bfloat16*, const __nv_bfloat16*,            \
                                const unsigned char*, const int*, float*, __nv_bfloat16*, int);
#define ATTNC_DECLARE_POOL_OUT(NAME, T, S)                                                                     \
    extern "C" void NAME##_pool_##S(const T*, const float*, const float*, const float*, const unsigned char*,   \
                                    float*, int, int);                                                          \
    extern "C" void NAME##_out_##S(const T*, const T*, const float*, const float*, const float*,                \
                                   const unsigned char*, T*, int, int);
#define ATTNC_DECLARE_ADDITIVE(NAME)                                                                           \
    ATTNC_DECLARE_POOL_OUT(NAME, float, f32)                                                                   \
    ATTNC_DECLARE_POOL_OUT(NAME, __half, f16)                                                                  \
    ATTNC_DECLARE_POOL_OUT(NAME, __nv_bfloat16, bf16)                                                          \
    extern "C" void NAME##_combine(const float*, float*, int, int);
#define ATTNC_ENTRY(NAME, D) ATTNC_DECLARE(NAME, D)
#define ATTNC_ADDITIVE(NAME, D, MATRIX) ATTNC_DECLARE_ADDITIVE(NAME)
#include "attnc_emu_entries.inc"
#undef ATTNC_ENTRY
#undef ATTNC_ADDITIVE

namespace {
const Entry ENTRIES[] = {
#define ATTNC_ENTRY(NAME, D) ATTNC_SOFTMAX(NAME, D)
#define ATTNC_ADDITIVE(NAME, D, MATRIX) ATTNC_ADDITIVE_ROWS(NAME, D, MATRIX)
#include "attnc_emu_entries.inc"
#undef ATTNC_ENTRY
#undef ATTNC_ADDITIVE
    {nullptr, 0, nullptr, 0, 0, 0}};
}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "info") == 0) {
        for (const Entry* e = ENTRIES; e->name != nullptr; e++) std::printf("%s %d %d %d\n", e->name, e->threads, e->queryTile, e->sharedBytes);
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
    m.sharedBytes = entry->sharedBytes;
    if (entry->additive) {
        switch (entry->dtype) {
            case 0:
                runAdditive<float>((PoolEntry<float>) entry->fn, (CombineEntry) entry->combine,
                                   (OutEntry<float>) entry->out, entry->matrix, dir, m);
                break;
            case 1:
                runAdditive<__half>((PoolEntry<__half>) entry->fn, (CombineEntry) entry->combine,
                                    (OutEntry<__half>) entry->out, entry->matrix, dir, m);
                break;
            default:
                runAdditive<__nv_bfloat16>((PoolEntry<__nv_bfloat16>) entry->fn, (CombineEntry) entry->combine,
                                           (OutEntry<__nv_bfloat16>) entry->out, entry->matrix, dir, m);
                break;
        }
        return 0;
    }
    switch (entry->dtype) {
        case 0: runSoftmax<float>((SoftmaxEntry<float>) entry->fn, dir, m); break;
        case 1: runSoftmax<__half>((SoftmaxEntry<__half>) entry->fn, dir, m); break;
        default: runSoftmax<__nv_bfloat16>((SoftmaxEntry<__nv_bfloat16>) entry->fn, dir, m); break;
    }
    return 0;
}
