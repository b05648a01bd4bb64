// attnc_emu.h -- run CUDA kernels on the CPU (host C++20, g++ 12).
//
// Kernels written for nvcc compile UNCHANGED with
//
//   g++ -std=c++20 -O2 -pthread -I/usr/local/cuda/include -include attnc_emu.h -x c++ kernel.cu harness.cpp
//
// and are launched from a host harness with attnc_emu::launch(grid, block, kernel, args...)
// instead of kernel<<<grid, block>>>(args...).
//
// HOW IT IS EMULATED
//  * The blocks of a grid run one after another (blockIdx.x fastest, then y, then z).
//    The threads of a block are real std::threads, taken from a pool that is reused across
//    blocks and launches (a new thread per emulated thread is about 5x slower).
//    Every pool thread walks the whole grid itself; a block barrier between two blocks
//    keeps block b+1 from starting before every thread has finished block b.
//  * __shared__ expands to `static`: a kernel-local static array is one object shared by all
//    threads of the running block, and since blocks run one at a time it is that block's
//    shared memory. Like on a GPU its content is NOT reset between blocks (static storage
//    starts zeroed once per process; a GPU starts with garbage: do not rely on either).
//  * threadIdx and blockIdx are thread_local (per emulated thread); blockDim and gridDim hold
//    the values of the running launch; warpSize is 32.
//  * __syncthreads() is a std::barrier over the block's real threads. A warp is 32 threads of
//    consecutive linear index (x + y*blockDim.x + z*blockDim.x*blockDim.y); __syncwarp() is a
//    std::barrier over the threads of the caller's warp (the last warp may be partial: its
//    barrier counts only the threads that exist).
//  * Warp shuffles and votes go through a per-warp exchange buffer: every lane writes its
//    value, warp barrier, every lane reads the source lane's value, warp barrier. That is race
//    free (ThreadSanitizer understands it) and gives exact CUDA results for full warps. In a
//    partial last warp, a source lane that does not exist yields the caller's own value.
//  * Atomics use std::atomic_ref (sequentially consistent).
//  * nvcuda::wmma (16x16x16, __half / __nv_bfloat16 inputs, float accumulator): every thread of
//    the warp holds the WHOLE 16x16 tile. Loads read the tile from memory, mma_sync computes it
//    in fp32 (summation order differs from tensor cores), store_matrix_sync is warp-collective:
//    warp barrier, lane 0 writes the tile, warp barrier.
//
// LIMITS (the kernel is wrong for a GPU too in most of these cases, but the emulator may
// deadlock rather than report it; the Java helper runs executables under a timeout)
//  * Collective operations (__syncthreads, __syncwarp, shuffles, votes, wmma loads/stores)
//    must be reached by ALL threads of the block / warp that exist. The `mask` argument is
//    not used for synchronisation; __ballot_sync/__any_sync/__all_sync only consider lanes
//    in the mask. A thread that returns early must not be followed by a barrier its block
//    still needs (CUDA forbids that as well).
//  * Dynamic shared memory (`extern __shared__ T s[];`) is NOT supported; use fixed sizes.
//  * wmma fragments: num_elements is 256 and x[] holds the whole tile in row-major (i, j)
//    order, unlike a GPU. Element-wise loops over x[] (scale every element, convert, ...)
//    behave the same on both; code that depends on which element sits where does not.
//    Only m16n16k16 is provided.
//  * Block size <= 1024 threads. One launch at a time (launch() serialises callers).
//  * No streams, events, cudaMalloc/cudaMemcpy, textures, cooperative groups, inline PTX,
//    __syncthreads_count/_and/_or, or the mma/ldmatrix intrinsics.
//  * A C++ exception escaping a kernel thread prints "attnc_emu: kernel threw in block (x,y,z)
//    thread (x,y,z): <what>" and aborts the process (SIGABRT): the block's other threads may be
//    blocked in a barrier, so it cannot be rethrown from launch(). A crash or abort() in a
//    kernel thread ends the process as it would without the emulator.
#ifndef ATTNC_EMU_H
#define ATTNC_EMU_H

#define ATTNC_EMU 1

#if __cplusplus < 202002L
#error "attnc_emu.h needs C++20 (-std=c++20)"
#endif
#if defined(__CUDACC__)
#error "attnc_emu.h is for host compilers only; nvcc compiles the kernels natively"
#endif

// The CUDA half/bfloat16 headers first: they pull in crt/host_defines.h (include-guarded),
// whose host definitions of the qualifiers we replace below. Later #includes of CUDA headers
// by the kernel are then no-ops for those macros.
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <vector_types.h>
#if __has_include(<math_constants.h>)
#include <math_constants.h>  // CUDART_INF_F etc. (expands to __int_as_float(...), defined below)
#endif

#include <algorithm>
#include <atomic>
#include <barrier>
#include <bit>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

// ---------------------------------------------------------------------------------------------
// Qualifiers
// ---------------------------------------------------------------------------------------------
#undef __global__
#undef __device__
#undef __host__
#undef __forceinline__
#undef __noinline__
#undef __restrict__
#undef __launch_bounds__
#undef __shared__
#undef __constant__
#undef __managed__
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__ __attribute__((noinline))
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __shared__ static  // blocks run one at a time: a kernel-local static is the block's shared memory
#define __constant__
#define __managed__

#ifndef CUDART_INF_F
#define CUDART_INF_F (std::numeric_limits<float>::infinity())
#endif
#ifndef CUDART_INF
#define CUDART_INF (std::numeric_limits<double>::infinity())
#endif

// ---------------------------------------------------------------------------------------------
// Built-in variables
// ---------------------------------------------------------------------------------------------
inline thread_local uint3 threadIdx{0, 0, 0};  // set by the pool thread before each block
inline thread_local uint3 blockIdx{0, 0, 0};
inline dim3 blockDim;  // written by launch() before the threads are released
inline dim3 gridDim;
constexpr int warpSize = 32;

namespace attnc_emu {

constexpr unsigned kMaxBlockThreads = 1024;

namespace detail {

/** One warp's synchronisation and exchange buffer. */
struct Warp {
    explicit Warp(int n) : size(n), bar(n) {}
    const int size;                  // threads that exist in this warp (32 except a partial last warp)
    std::barrier<> bar;              // __syncwarp
    alignas(64) std::uint64_t slot[32] = {};  // shuffle/vote exchange, one slot per lane
};

/** The state of one launch, shared by the block's threads. */
struct Launch {
    Launch(unsigned threads) : block_bar(static_cast<std::ptrdiff_t>(threads)) {}
    std::barrier<> block_bar;  // __syncthreads and the end of each block
    std::vector<std::unique_ptr<Warp>> warps;
};

inline thread_local Launch* t_launch = nullptr;
inline thread_local Warp* t_warp = nullptr;
inline thread_local int t_lane = 0;

[[noreturn]] inline void fatal(const char* what) {
    std::fprintf(stderr, "attnc_emu: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

/**
 * A kernel thread threw. The other threads of its block may be waiting at a barrier it will never
 * reach, and libstdc++ 12's std::barrier::arrive_and_drop was seen to hang in that situation, so
 * the failure cannot be handed back to launch(): name the block and thread, then abort.
 */
[[noreturn]] inline void kernel_threw(const char* what) {
    std::string msg = "kernel threw in block (" + std::to_string(blockIdx.x) + "," + std::to_string(blockIdx.y) + "," +
                      std::to_string(blockIdx.z) + ") thread (" + std::to_string(threadIdx.x) + "," +
                      std::to_string(threadIdx.y) + "," + std::to_string(threadIdx.z) + "): " + what;
    fatal(msg.c_str());
}

inline Warp& warp() {
    if (t_warp == nullptr) fatal("warp-level operation called outside a kernel launch");
    return *t_warp;
}

/** Pool of worker threads, grown to the largest block seen and reused. */
class Pool {
public:
    Pool() = default;
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;
    ~Pool() {
        {
            std::lock_guard lk(m_);
            stop_ = true;
        }
        work_cv_.notify_all();
        for (auto& t : threads_) t.join();
    }

    /** Runs job(id) on workers 0..n-1 and returns when all have finished. */
    void run(unsigned n, std::function<void(unsigned)> job) {
        std::unique_lock lk(m_);
        while (threads_.size() < n) {
            unsigned id = static_cast<unsigned>(threads_.size());
            threads_.emplace_back([this, id] { worker(id); });
        }
        job_ = std::move(job);
        active_ = n;
        remaining_ = n;
        ++generation_;
        work_cv_.notify_all();
        done_cv_.wait(lk, [this] { return remaining_ == 0; });
        job_ = nullptr;
    }

private:
    void worker(unsigned id) {
        std::uint64_t seen = 0;
        std::unique_lock lk(m_);
        for (;;) {
            work_cv_.wait(lk, [&] { return stop_ || (generation_ != seen && id < active_); });
            if (stop_) return;
            seen = generation_;
            auto* job = &job_;
            lk.unlock();
            (*job)(id);
            lk.lock();
            if (--remaining_ == 0) done_cv_.notify_one();
        }
    }

    std::mutex m_;
    std::condition_variable work_cv_, done_cv_;
    std::vector<std::thread> threads_;
    std::function<void(unsigned)> job_;
    std::uint64_t generation_ = 0;
    unsigned active_ = 0;
    unsigned remaining_ = 0;
    bool stop_ = false;
};

inline Pool& pool() {
    static Pool p;
    return p;
}

inline std::mutex& launch_mutex() {
    static std::mutex m;
    return m;
}

template <class T>
inline std::uint64_t to_bits(T v) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8, "shuffle: type must be trivially copyable and at most 8 bytes");
    std::uint64_t b = 0;
    std::memcpy(&b, &v, sizeof(T));
    return b;
}

template <class T>
inline T from_bits(std::uint64_t b) {
    T v;
    std::memcpy(&v, &b, sizeof(T));
    return v;
}

/**
 * Publishes this lane's value, waits for the warp, reads lane src's value (own value if src
 * is outside [0, warp size)), waits again so the buffer can be reused.
 */
template <class T>
inline T exchange(T var, int src) {
    Warp& w = warp();
    w.slot[t_lane] = to_bits(var);
    w.bar.arrive_and_wait();
    std::uint64_t got = (src >= 0 && src < w.size) ? w.slot[src] : w.slot[t_lane];
    w.bar.arrive_and_wait();
    return from_bits<T>(got);
}

inline void check_width(int width) {
    if (width <= 0 || width > 32 || (width & (width - 1)) != 0) fatal("shuffle width must be a power of two in [1, 32]");
}

/** Collects pred of every lane of the warp that is in mask. */
inline unsigned vote(unsigned mask, int pred) {
    Warp& w = warp();
    w.slot[t_lane] = pred ? 1u : 0u;
    w.bar.arrive_and_wait();
    unsigned bits = 0;
    for (int l = 0; l < w.size; ++l)
        if (w.slot[l]) bits |= 1u << l;
    w.bar.arrive_and_wait();
    return bits & mask;
}

inline unsigned existing_lanes() {
    int n = warp().size;
    return n >= 32 ? 0xffffffffu : ((1u << n) - 1u);
}

}  // namespace detail

/**
 * Runs kernel(args...) for every thread of every block of the grid and returns when the grid
 * is done. Blocks run in order, x fastest, then y, then z. Arguments are copied once, as CUDA
 * does. Throws std::invalid_argument for an empty grid or block or a block over 1024 threads;
 * aborts the process with a message naming the block and thread if a kernel thread throws.
 */
template <class Kernel, class... Args>
void launch(dim3 grid, dim3 block, Kernel kernel, Args... args) {
    const unsigned long long nthreads = 1ull * block.x * block.y * block.z;
    if (nthreads == 0 || grid.x == 0 || grid.y == 0 || grid.z == 0)
        throw std::invalid_argument("attnc_emu::launch: empty grid or block");
    if (nthreads > kMaxBlockThreads)
        throw std::invalid_argument("attnc_emu::launch: block of " + std::to_string(nthreads) + " threads (at most 1024)");
    std::lock_guard guard(detail::launch_mutex());
    const unsigned n = static_cast<unsigned>(nthreads);
    detail::Launch L(n);
    for (unsigned first = 0; first < n; first += 32)
        L.warps.push_back(std::make_unique<detail::Warp>(static_cast<int>(std::min(32u, n - first))));
    gridDim = grid;
    blockDim = block;

    auto body = [&](unsigned tid) {
        detail::t_launch = &L;
        detail::t_warp = L.warps[tid / 32].get();
        detail::t_lane = static_cast<int>(tid % 32);
        threadIdx = uint3{tid % block.x, (tid / block.x) % block.y, tid / (block.x * block.y)};
        for (unsigned z = 0; z < grid.z; ++z)
            for (unsigned y = 0; y < grid.y; ++y)
                for (unsigned x = 0; x < grid.x; ++x) {
                    blockIdx = uint3{x, y, z};
                    try {
                        std::apply(kernel, std::tuple<Args...>(args...));
                    } catch (const std::exception& e) {
                        detail::kernel_threw(e.what());
                    } catch (...) {
                        detail::kernel_threw("exception not derived from std::exception");
                    }
                    L.block_bar.arrive_and_wait();
                }
        detail::t_launch = nullptr;
        detail::t_warp = nullptr;
    };
    detail::pool().run(n, body);
}

}  // namespace attnc_emu

// ---------------------------------------------------------------------------------------------
// Synchronisation, shuffles, votes
// ---------------------------------------------------------------------------------------------
inline void __syncthreads() {
    if (attnc_emu::detail::t_launch == nullptr) attnc_emu::detail::fatal("__syncthreads called outside a kernel launch");
    attnc_emu::detail::t_launch->block_bar.arrive_and_wait();
}

inline void __syncwarp(unsigned mask = 0xffffffffu) {
    (void)mask;
    attnc_emu::detail::warp().bar.arrive_and_wait();
}

inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_thread_fence(std::memory_order_seq_cst); }

/** Lanes of the caller's warp that exist (all threads are active when a collective is called). */
inline unsigned __activemask() { return attnc_emu::detail::existing_lanes(); }

// The shuffle source lanes follow PTX shfl.sync with c = ((32 - width) << 8) | clamp:
// idx reads lane (segment start | srcLane % width); up reads lane - delta unless that leaves the
// segment; down reads lane + delta unless that passes the segment end; xor reads lane ^ mask
// unless that lies past the segment end (earlier segments are readable, as documented by CUDA).
template <class T>
inline T __shfl_sync(unsigned mask, T var, int srcLane, int width = warpSize) {
    (void)mask;
    attnc_emu::detail::check_width(width);
    int lane = attnc_emu::detail::t_lane;
    int src = (lane & ~(width - 1)) | (srcLane & (width - 1));
    return attnc_emu::detail::exchange(var, src);
}

template <class T>
inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = warpSize) {
    (void)mask;
    attnc_emu::detail::check_width(width);
    int lane = attnc_emu::detail::t_lane;
    int src = lane - static_cast<int>(delta);
    if (src < (lane & ~(width - 1))) src = lane;
    return attnc_emu::detail::exchange(var, src);
}

template <class T>
inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = warpSize) {
    (void)mask;
    attnc_emu::detail::check_width(width);
    int lane = attnc_emu::detail::t_lane;
    int src = lane + static_cast<int>(delta);
    if (src > (lane | (width - 1))) src = lane;
    return attnc_emu::detail::exchange(var, src);
}

template <class T>
inline T __shfl_xor_sync(unsigned mask, T var, int laneMask, int width = warpSize) {
    (void)mask;
    attnc_emu::detail::check_width(width);
    int lane = attnc_emu::detail::t_lane;
    int src = lane ^ (laneMask & 31);
    if (src > (lane | (width - 1))) src = lane;
    return attnc_emu::detail::exchange(var, src);
}

inline unsigned __ballot_sync(unsigned mask, int predicate) { return attnc_emu::detail::vote(mask, predicate); }

inline int __any_sync(unsigned mask, int predicate) { return attnc_emu::detail::vote(mask, predicate) != 0; }

inline int __all_sync(unsigned mask, int predicate) {
    unsigned members = mask & attnc_emu::detail::existing_lanes();
    return attnc_emu::detail::vote(mask, predicate) == members;
}

// ---------------------------------------------------------------------------------------------
// Atomics (return the old value, like CUDA)
// ---------------------------------------------------------------------------------------------
inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
inline double atomicAdd(double* p, double v) { return std::atomic_ref<double>(*p).fetch_add(v); }
inline int atomicAdd(int* p, int v) { return std::atomic_ref<int>(*p).fetch_add(v); }
inline unsigned atomicAdd(unsigned* p, unsigned v) { return std::atomic_ref<unsigned>(*p).fetch_add(v); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
    return std::atomic_ref<unsigned long long>(*p).fetch_add(v);
}
inline int atomicSub(int* p, int v) { return std::atomic_ref<int>(*p).fetch_sub(v); }
inline unsigned atomicSub(unsigned* p, unsigned v) { return std::atomic_ref<unsigned>(*p).fetch_sub(v); }

namespace attnc_emu::detail {
template <class T, class Pick>
inline T atomic_update(T* p, T v, Pick pick) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (!a.compare_exchange_weak(old, pick(old, v))) {
    }
    return old;
}
}  // namespace attnc_emu::detail

inline int atomicMax(int* p, int v) { return attnc_emu::detail::atomic_update(p, v, [](int a, int b) { return a > b ? a : b; }); }
inline unsigned atomicMax(unsigned* p, unsigned v) {
    return attnc_emu::detail::atomic_update(p, v, [](unsigned a, unsigned b) { return a > b ? a : b; });
}
inline int atomicMin(int* p, int v) { return attnc_emu::detail::atomic_update(p, v, [](int a, int b) { return a < b ? a : b; }); }
inline unsigned atomicMin(unsigned* p, unsigned v) {
    return attnc_emu::detail::atomic_update(p, v, [](unsigned a, unsigned b) { return a < b ? a : b; });
}
inline int atomicExch(int* p, int v) { return std::atomic_ref<int>(*p).exchange(v); }
inline unsigned atomicExch(unsigned* p, unsigned v) { return std::atomic_ref<unsigned>(*p).exchange(v); }
inline float atomicExch(float* p, float v) { return std::atomic_ref<float>(*p).exchange(v); }
inline unsigned long long atomicExch(unsigned long long* p, unsigned long long v) {
    return std::atomic_ref<unsigned long long>(*p).exchange(v);
}
template <class T>
inline T attnc_emu_cas(T* p, T compare, T v) {
    std::atomic_ref<T>(*p).compare_exchange_strong(compare, v);
    return compare;  // the old value, whether or not it was replaced
}
inline int atomicCAS(int* p, int c, int v) { return attnc_emu_cas(p, c, v); }
inline unsigned atomicCAS(unsigned* p, unsigned c, unsigned v) { return attnc_emu_cas(p, c, v); }
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long c, unsigned long long v) { return attnc_emu_cas(p, c, v); }

// ---------------------------------------------------------------------------------------------
// Device math that host C++ lacks or names differently. The fast-math intrinsics (__expf, ...)
// are computed exactly here, so results can differ from a GPU in the last bits.
// ---------------------------------------------------------------------------------------------
inline float __expf(float x) { return std::exp(x); }
inline float __exp10f(float x) { return std::pow(10.0f, x); }
inline float __logf(float x) { return std::log(x); }
inline float __log2f(float x) { return std::log2(x); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __tanf(float x) { return std::tan(x); }
inline float __powf(float x, float y) { return std::pow(x, y); }
inline float __fdividef(float x, float y) { return x / y; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline float __fadd_rn(float x, float y) { return x + y; }
inline float __fsub_rn(float x, float y) { return x - y; }
inline float __fmul_rn(float x, float y) { return x * y; }
inline float __fmaf_rn(float x, float y, float z) { return std::fma(x, y, z); }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __frsqrt_rn(float x) { return 1.0f / std::sqrt(x); }
inline float __saturatef(float x) { return std::isnan(x) ? 0.0f : (x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x)); }
constexpr int __float_as_int(float x) { return std::bit_cast<int>(x); }
constexpr float __int_as_float(int x) { return std::bit_cast<float>(x); }
constexpr unsigned __float_as_uint(float x) { return std::bit_cast<unsigned>(x); }
constexpr float __uint_as_float(unsigned x) { return std::bit_cast<float>(x); }
constexpr long long __double_as_longlong(double x) { return std::bit_cast<long long>(x); }
constexpr double __longlong_as_double(long long x) { return std::bit_cast<double>(x); }
inline int __popc(unsigned x) { return std::popcount(x); }
inline int __popcll(unsigned long long x) { return std::popcount(x); }
inline int __clz(int x) { return std::countl_zero(static_cast<unsigned>(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline unsigned __brev(unsigned x) {
    unsigned r = 0;
    for (int i = 0; i < 32; ++i) r |= ((x >> i) & 1u) << (31 - i);
    return r;
}
template <class T>
inline T __ldg(const T* p) { return *p; }
[[noreturn]] inline void __trap() { attnc_emu::detail::fatal("__trap() called by a kernel"); }

// min/max are global functions in CUDA device code (no std::).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline unsigned min(int a, unsigned b) { return min(static_cast<unsigned>(a), b); }
inline unsigned max(int a, unsigned b) { return max(static_cast<unsigned>(a), b); }
inline unsigned min(unsigned a, int b) { return min(a, static_cast<unsigned>(b)); }
inline unsigned max(unsigned a, int b) { return max(a, static_cast<unsigned>(b)); }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
inline float min(float a, float b) { return std::fmin(a, b); }
inline float max(float a, float b) { return std::fmax(a, b); }
inline double min(double a, double b) { return std::fmin(a, b); }
inline double max(double a, double b) { return std::fmax(a, b); }

// ---------------------------------------------------------------------------------------------
// nvcuda::wmma, m16n16k16 only. Every thread of the warp holds the whole tile (see the top).
// ---------------------------------------------------------------------------------------------
namespace nvcuda {
namespace wmma {

struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
enum layout_t { mem_row_major, mem_col_major };

template <class Use, int M, int N, int K, class T, class Layout = void>
struct fragment;

namespace detail {
template <class T>
constexpr bool is_input_type = std::is_same_v<T, __half> || std::is_same_v<T, __nv_bfloat16>;
template <class L>
constexpr bool is_layout = std::is_same_v<L, row_major> || std::is_same_v<L, col_major>;
}  // namespace detail

/** A 16x16 tile of A (rows m, columns k) or B (rows k, columns n), x[i*16 + j] = element (i, j). */
template <class Use, class T, class Layout>
struct fragment<Use, 16, 16, 16, T, Layout> {
    static_assert(std::is_same_v<Use, matrix_a> || std::is_same_v<Use, matrix_b>, "only matrix_a, matrix_b and accumulator fragments");
    static_assert(detail::is_input_type<T>, "matrix_a/matrix_b fragments: __half or __nv_bfloat16 only");
    static_assert(detail::is_layout<Layout>, "matrix_a/matrix_b fragments need row_major or col_major");
    using element_type = T;
    using storage_element_type = T;
    static constexpr int num_elements = 256;
    T x[256];
};

/** A 16x16 fp32 accumulator tile, x[i*16 + j] = element (row i, column j). */
template <>
struct fragment<accumulator, 16, 16, 16, float, void> {
    using element_type = float;
    using storage_element_type = float;
    static constexpr int num_elements = 256;
    float x[256];
};

template <class Use, int M, int N, int K, class T, class Layout>
inline void fill_fragment(fragment<Use, M, N, K, T, Layout>& f, const std::type_identity_t<T>& v) {
    for (int i = 0; i < 256; ++i) f.x[i] = v;
}

/** Reads a tile of A or B; element (i, j) is ptr[i*ldm + j] (row_major) or ptr[j*ldm + i] (col_major). */
template <class Use, class T, class Layout>
inline void load_matrix_sync(fragment<Use, 16, 16, 16, T, Layout>& f, const T* ptr, unsigned ldm) {
    constexpr bool row = std::is_same_v<Layout, row_major>;
    for (int i = 0; i < 16; ++i)
        for (int j = 0; j < 16; ++j) f.x[i * 16 + j] = row ? ptr[i * ldm + j] : ptr[j * ldm + i];
}

inline void load_matrix_sync(fragment<accumulator, 16, 16, 16, float>& f, const float* ptr, unsigned ldm, layout_t layout) {
    for (int i = 0; i < 16; ++i)
        for (int j = 0; j < 16; ++j) f.x[i * 16 + j] = layout == mem_row_major ? ptr[i * ldm + j] : ptr[j * ldm + i];
}

/** d = a * b + c with fp32 products and sums (d may be c). */
template <class T, class LA, class LB>
inline void mma_sync(fragment<accumulator, 16, 16, 16, float>& d, const fragment<matrix_a, 16, 16, 16, T, LA>& a,
                     const fragment<matrix_b, 16, 16, 16, T, LB>& b, const fragment<accumulator, 16, 16, 16, float>& c) {
    float fa[256], fb[256], out[256];
    for (int i = 0; i < 256; ++i) {
        fa[i] = static_cast<float>(a.x[i]);
        fb[i] = static_cast<float>(b.x[i]);
    }
    for (int m = 0; m < 16; ++m)
        for (int n = 0; n < 16; ++n) {
            float s = c.x[m * 16 + n];
            for (int k = 0; k < 16; ++k) s += fa[m * 16 + k] * fb[k * 16 + n];
            out[m * 16 + n] = s;
        }
    std::memcpy(d.x, out, sizeof out);
}

/** Warp-collective: warp barrier, lane 0 writes the tile, warp barrier. */
inline void store_matrix_sync(float* ptr, const fragment<accumulator, 16, 16, 16, float>& f, unsigned ldm, layout_t layout) {
    auto& w = attnc_emu::detail::warp();
    w.bar.arrive_and_wait();
    if (attnc_emu::detail::t_lane == 0)
        for (int i = 0; i < 16; ++i)
            for (int j = 0; j < 16; ++j) (layout == mem_row_major ? ptr[i * ldm + j] : ptr[j * ldm + i]) = f.x[i * 16 + j];
    w.bar.arrive_and_wait();
}

}  // namespace wmma
}  // namespace nvcuda

#endif  // ATTNC_EMU_H
