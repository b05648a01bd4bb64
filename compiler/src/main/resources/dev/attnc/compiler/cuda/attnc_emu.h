// attnc_emu.h -- run CUDA kernels on the CPU (host C++20, g++ 12).
//
// Kernels written for nvcc compile UNCHANGED with
//
//   g++ -std=c++20 -O2 -pthread -I/usr/local/cuda/include -include attnc_emu.h -x c++ kernel.cu harness.cpp
//
// and are launched from a host harness with attnc_emu::launch(grid, block, kernel, args...)
// instead of kernel<<<grid, block>>>(args...), or attnc_emu::launch_dynamic(grid, block,
// sharedBytes, kernel, args...) instead of kernel<<<grid, block, sharedBytes>>>(args...).
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
//  * Dynamic shared memory (launch_dynamic): one buffer of sharedBytes per launch, 16-byte
//    aligned (128 in fact), returned by attnc_emu::dynamic_shared() (attnc::tc::dynamic_shared()
//    of attnc_mma.cuh calls it; `extern __shared__` itself does not compile here). Every byte is
//    set to 0xFF before each block starts (a NaN in f16, bf16 and f32), so a kernel that reads
//    dynamic shared memory it never wrote fails its tests instead of reading the last block's
//    values. The buffer is exactly sharedBytes long: AddressSanitizer reports reads past it.
//  * Tensor-core and async-copy stand-ins for the inline PTX of attnc_mma.cuh (namespace
//    attnc_emu::tc). They follow the PTX register layouts EXACTLY (unlike wmma above), lane by
//    lane, so fragment code that is right here is right on a GPU:
//    - mma_m16n8k16<bf16>(d, a, b) is mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.f32:
//      warp-collective; D = C + A*B with fp32 products of the exactly converted inputs, summed in
//      a fixed order (C, then k = 0..15; a tensor core sums differently, so expect last-bit
//      differences from a GPU).
//    - ldmatrix(r, count, trans, row) is ldmatrix.sync.aligned.m8n8.x{1,2,4}{,.trans}.shared.b16:
//      warp-collective; lane L's address is row L % 8 of matrix L / 8; rows must be 16-byte
//      aligned (fatal otherwise); addresses of lanes >= 8 * count are ignored, as on a GPU.
//    Both go through a per-warp exchange area: every lane publishes its registers (or row
//    address), one warp barrier, then every lane computes its own outputs from all lanes' data.
//    There are two areas, used alternately (see tc_exchange), which makes one barrier per call
//    enough instead of two.
//    - cp_async16(dst, src) is cp.async.cg.shared.global 16 bytes, and it is DEFERRED: the copy
//      joins the calling thread's open group (thread_local); cp_async_commit() closes the group;
//      cp_async_wait(n) performs the copies of all but the newest n closed groups, in issue order.
//      So the SOURCE IS READ AT WAIT TIME (a kernel must not write it before waiting, as on a
//      GPU), and a kernel that reads the destination before waiting (and a __syncthreads for
//      other threads' copies) sees its old content (0xFF in fresh dynamic shared memory) and
//      fails its tests. A thread that ends a block with copies not waited for (committed or
//      not) aborts the process, naming the block and thread. Both addresses must be 16-byte
//      aligned (fatal otherwise).
//
// LIMITS (the kernel is wrong for a GPU too in most of these cases, but the emulator may
// deadlock rather than report it; the Java helper runs executables under a timeout)
//  * Collective operations (__syncthreads, __syncwarp, shuffles, votes, wmma loads/stores,
//    tc::mma, tc::ldmatrix) must be reached by ALL threads of the block / warp that exist. The `mask` argument is
//    not used for synchronisation; __ballot_sync/__any_sync/__all_sync only consider lanes
//    in the mask. A thread that returns early must not be followed by a barrier its block
//    still needs (CUDA forbids that as well).
//  * Dynamic shared memory only through launch_dynamic + attnc_emu::dynamic_shared() (or
//    attnc::tc::dynamic_shared()); `extern __shared__ T s[];` does not compile. At most
//    227 KB (the largest any supported GPU gives a block).
//  * tc::mma and tc::ldmatrix need a full warp of 32 threads (fatal otherwise).
//  * wmma fragments: num_elements is 256 and x[] holds the whole tile in row-major (i, j)
//    order, unlike a GPU. Element-wise loops over x[] (scale every element, convert, ...)
//    behave the same on both; code that depends on which element sits where does not.
//    Only m16n16k16 is provided.
//  * Block size <= 1024 threads. One launch at a time (launch() serialises callers).
//  * No streams, events, cudaMalloc/cudaMemcpy, textures, cooperative groups,
//    __syncthreads_count/_and/_or. No inline PTX (asm): code that needs mma.sync, ldmatrix or
//    cp.async calls attnc_mma.cuh, which uses the attnc_emu::tc stand-ins above under ATTNC_EMU.
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
    /** One lane's contribution to a tensor-core stand-in: mma registers (a[4], b[2]) or an ldmatrix row. */
    struct TcSlot {
        std::uint32_t r[6];
        const unsigned char* row;
    };
    alignas(64) TcSlot tc[2][32] = {};  // two exchange areas, used alternately (see tc_exchange)
};

struct Launch;

/** Completion of the end-of-block barrier: poisons the dynamic shared memory for the next block. */
struct BlockEnd {
    Launch* launch;
    void operator()() noexcept;
};

/** The state of one launch, shared by the block's threads. */
struct Launch {
    Launch(unsigned threads, std::size_t shared_bytes)
        : block_bar(static_cast<std::ptrdiff_t>(threads)),
          block_end(static_cast<std::ptrdiff_t>(threads), BlockEnd{this}),
          dyn_bytes(shared_bytes),
          dyn(static_cast<unsigned char*>(::operator new(shared_bytes, std::align_val_t{128}))) {
        poison();
    }
    ~Launch() { ::operator delete(dyn, std::align_val_t{128}); }
    Launch(const Launch&) = delete;
    Launch& operator=(const Launch&) = delete;

    /** 0xFF in every byte of the dynamic shared memory: NaN in f16, bf16 and f32. */
    void poison() noexcept {
        if (dyn_bytes) std::memset(dyn, 0xFF, dyn_bytes);
    }

    std::barrier<> block_bar;             // __syncthreads
    std::barrier<BlockEnd> block_end;     // the end of each block
    std::vector<std::unique_ptr<Warp>> warps;
    const std::size_t dyn_bytes;          // dynamic shared memory of the launch
    unsigned char* const dyn;
};

inline void BlockEnd::operator()() noexcept { launch->poison(); }

inline thread_local Launch* t_launch = nullptr;
inline thread_local Warp* t_warp = nullptr;
inline thread_local int t_lane = 0;
inline thread_local int t_tc_area = 0;  // the Warp::tc area this lane's next mma/ldmatrix uses

/** A deferred cp.async: 16 bytes from src to dst, performed by a wait. */
struct AsyncCopy {
    void* dst;
    const void* src;
};

/** The calling thread's cp.async copies not yet performed, oldest first. */
struct AsyncState {
    std::vector<AsyncCopy> copies;  // closed groups, then the open group
    std::vector<std::size_t> ends;  // end index in copies of each closed group, oldest first
};
inline thread_local AsyncState t_async;

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

namespace detail {
/** End of a block for the calling thread: it must not leave cp.async copies behind. */
inline void check_no_pending_copies() {
    AsyncState& st = t_async;
    if (st.copies.empty()) return;
    std::size_t closed = st.ends.size();
    std::size_t open = st.copies.size() - (st.ends.empty() ? 0 : st.ends.back());
    std::string msg = "thread (" + std::to_string(threadIdx.x) + "," + std::to_string(threadIdx.y) + "," +
                      std::to_string(threadIdx.z) + ") of block (" + std::to_string(blockIdx.x) + "," +
                      std::to_string(blockIdx.y) + "," + std::to_string(blockIdx.z) + ") ended with " +
                      std::to_string(closed) + " committed cp.async group(s) and " + std::to_string(open) +
                      " uncommitted cp.async copy(ies) pending: call cp_async_wait<0>() (after committing) "
                      "before the kernel ends";
    fatal(msg.c_str());
}
}  // namespace detail

/** The most dynamic shared memory a block may have (227 KB, as on sm_90). */
constexpr std::size_t kMaxDynamicSharedBytes = 227 * 1024;

/**
 * Runs kernel(args...) for every thread of every block of the grid, like
 * kernel<<<grid, block, sharedBytes>>>(args...), and returns when the grid is done. Blocks run
 * in order, x fastest, then y, then z. Arguments are copied once, as CUDA does. Each block has
 * sharedBytes of dynamic shared memory (dynamic_shared()), 16-byte aligned and filled with 0xFF
 * bytes when the block starts. Throws std::invalid_argument for an empty grid or block, a block
 * over 1024 threads or sharedBytes over kMaxDynamicSharedBytes; aborts the process with a
 * message naming the block and thread if a kernel thread throws or ends a block with cp.async
 * copies it did not wait for.
 */
template <class Kernel, class... Args>
void launch_dynamic(dim3 grid, dim3 block, std::size_t sharedBytes, Kernel kernel, Args... args) {
    const unsigned long long nthreads = 1ull * block.x * block.y * block.z;
    if (nthreads == 0 || grid.x == 0 || grid.y == 0 || grid.z == 0)
        throw std::invalid_argument("attnc_emu::launch: empty grid or block");
    if (nthreads > kMaxBlockThreads)
        throw std::invalid_argument("attnc_emu::launch: block of " + std::to_string(nthreads) + " threads (at most 1024)");
    if (sharedBytes > kMaxDynamicSharedBytes)
        throw std::invalid_argument("attnc_emu::launch_dynamic: sharedBytes " + std::to_string(sharedBytes) +
                                    " (at most " + std::to_string(kMaxDynamicSharedBytes) + ")");
    std::lock_guard guard(detail::launch_mutex());
    const unsigned n = static_cast<unsigned>(nthreads);
    detail::Launch L(n, sharedBytes);
    for (unsigned first = 0; first < n; first += 32)
        L.warps.push_back(std::make_unique<detail::Warp>(static_cast<int>(std::min(32u, n - first))));
    gridDim = grid;
    blockDim = block;

    auto body = [&](unsigned tid) {
        detail::t_launch = &L;
        detail::t_warp = L.warps[tid / 32].get();
        detail::t_lane = static_cast<int>(tid % 32);
        detail::t_tc_area = 0;
        detail::t_async = {};
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
                    detail::check_no_pending_copies();
                    L.block_end.arrive_and_wait();
                }
        detail::t_launch = nullptr;
        detail::t_warp = nullptr;
    };
    detail::pool().run(n, body);
}

/** launch_dynamic without dynamic shared memory: kernel<<<grid, block>>>(args...). */
template <class Kernel, class... Args>
void launch(dim3 grid, dim3 block, Kernel kernel, Args... args) {
    launch_dynamic(grid, block, 0, kernel, args...);
}

/** The running block's dynamic shared memory (see launch_dynamic); fatal outside a launch. */
inline unsigned char* dynamic_shared() {
    if (detail::t_launch == nullptr) detail::fatal("dynamic_shared() called outside a kernel launch");
    return detail::t_launch->dyn;
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

// ---------------------------------------------------------------------------------------------
// Stand-ins for the inline PTX of attnc_mma.cuh: mma.sync m16n8k16, ldmatrix, cp.async. They
// follow the PTX register layouts exactly (see the top of this file and attnc_mma.cuh).
// ---------------------------------------------------------------------------------------------
namespace attnc_emu::tc {

namespace detail {
using attnc_emu::detail::fatal;
using attnc_emu::detail::Warp;

/** f16 bits to float, exactly (subnormals, infinities and NaNs included). */
inline float f16_to_float(std::uint32_t h) {
    const std::uint32_t sign = (h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1fu;
    const std::uint32_t man = h & 0x3ffu;
    if (exp == 0) {
        float f = static_cast<float>(man) * 0x1p-24f;  // zero or subnormal: exact in fp32
        return sign ? -f : f;
    }
    const std::uint32_t bits = exp == 31 ? (sign | 0x7f800000u | (man << 13)) : (sign | ((exp + 112u) << 23) | (man << 13));
    return std::bit_cast<float>(bits);
}

inline float bf16_to_float(std::uint32_t h) { return std::bit_cast<float>((h & 0xffffu) << 16); }

/** Element `half` (0 = low 16 bits) of a .b32 register, as float. */
template <bool Bf16>
inline float element(std::uint32_t reg, int half) {
    std::uint32_t bits = half ? reg >> 16 : reg & 0xffffu;
    return Bf16 ? bf16_to_float(bits) : f16_to_float(bits);
}

/**
 * Publishes this lane's slot in the warp's current exchange area, waits once for the warp and
 * returns the area (all 32 lanes' slots) to read from.
 *
 * ONE barrier is enough because there are two areas, used alternately by every lane (all
 * lanes make the same sequence of collective calls, so they agree on the area of each call).
 * Call n writes area p, barrier B(n), reads area p. Call n+1 writes area 1-p, barrier B(n+1).
 * The next write of area p is in call n+2, after the lane has passed B(n+1); B(n+1) opens only
 * when every lane has arrived at it, i.e. when every lane has finished reading area p in call n.
 * So no lane overwrites a slot another lane may still read, and a std::barrier's arrive/wait
 * orders the writes before the reads (ThreadSanitizer sees that too). Shuffles use their own
 * buffer (Warp::slot) and are not affected.
 */
template <class Fill>
inline const Warp::TcSlot* tc_exchange(Fill fill) {
    Warp& w = attnc_emu::detail::warp();
    if (w.size != 32) fatal("mma/ldmatrix need a full warp of 32 threads (the block's last warp is partial)");
    const int area = attnc_emu::detail::t_tc_area;
    attnc_emu::detail::t_tc_area = area ^ 1;
    fill(w.tc[area][attnc_emu::detail::t_lane]);
    w.bar.arrive_and_wait();
    return w.tc[area];
}

inline const unsigned char* checked_row(const Warp::TcSlot* s, int lane) {
    const unsigned char* row = s[lane].row;
    if (row == nullptr || (reinterpret_cast<std::uintptr_t>(row) & 15u) != 0) {
        std::string msg = "ldmatrix: the row address of lane " + std::to_string(lane) + " (" +
                          std::to_string(reinterpret_cast<std::uintptr_t>(row)) + ") is not a 16-byte aligned address";
        fatal(msg.c_str());
    }
    return row;
}
}  // namespace detail

/**
 * d += a * b for one warp, mma.sync.aligned.m16n8k16.row.col.f32.T.T.f32 with T = bf16 if Bf16
 * else f16. Registers as in PTX (lane = 4*group + tig): a[0] = A(group, 2tig..+1),
 * a[1] = A(group+8, 2tig..+1), a[2] = A(group, 2tig+8..+9), a[3] = A(group+8, 2tig+8..+9);
 * b[0] = B(2tig..+1, group), b[1] = B(2tig+8..+9, group); d[0..1] = D(group, 2tig..+1),
 * d[2..3] = D(group+8, 2tig..+1). Each sum is fp32: C first, then the products for k = 0..15.
 */
template <bool Bf16>
inline void mma_m16n8k16(float (&d)[4], const std::uint32_t (&a)[4], const std::uint32_t (&b)[2]) {
    const detail::Warp::TcSlot* s = detail::tc_exchange([&](detail::Warp::TcSlot& mine) {
        mine.r[0] = a[0];
        mine.r[1] = a[1];
        mine.r[2] = a[2];
        mine.r[3] = a[3];
        mine.r[4] = b[0];
        mine.r[5] = b[1];
    });
    const int lane = attnc_emu::detail::t_lane;
    const int group = lane >> 2, tig = lane & 3;
    float a0[16], a1[16], b0[16], b1[16];  // A rows group, group+8; B columns 2tig, 2tig+1
    for (int k = 0; k < 16; ++k) {
        const int quad = (k & 7) >> 1, hi = k >> 3, half = k & 1;
        const detail::Warp::TcSlot& arow = s[4 * group + quad];
        a0[k] = detail::element<Bf16>(arow.r[2 * hi], half);
        a1[k] = detail::element<Bf16>(arow.r[2 * hi + 1], half);
        b0[k] = detail::element<Bf16>(s[4 * (2 * tig) + quad].r[4 + hi], half);
        b1[k] = detail::element<Bf16>(s[4 * (2 * tig + 1) + quad].r[4 + hi], half);
    }
    float d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
    for (int k = 0; k < 16; ++k) {
        d0 += a0[k] * b0[k];
        d1 += a0[k] * b1[k];
        d2 += a1[k] * b0[k];
        d3 += a1[k] * b1[k];
    }
    d[0] = d0;
    d[1] = d1;
    d[2] = d2;
    d[3] = d3;
}

/**
 * ldmatrix.sync.aligned.m8n8.x{count}{.trans}.shared.b16 for one warp: lane L gives row L % 8 of
 * matrix L / 8 (only lanes below 8 * count are read). Without trans r[i] = matrix i's
 * (row lane/4, cols 2(lane%4), +1); with trans r[i] = (rows 2(lane%4), +1; col lane/4), the
 * lower row in the low 16 bits.
 */
inline void ldmatrix(std::uint32_t* r, int count, bool trans, const void* row) {
    const detail::Warp::TcSlot* s =
        detail::tc_exchange([&](detail::Warp::TcSlot& mine) { mine.row = static_cast<const unsigned char*>(row); });
    const int lane = attnc_emu::detail::t_lane;
    for (int i = 0; i < count; ++i) {
        if (!trans) {
            std::memcpy(&r[i], detail::checked_row(s, 8 * i + lane / 4) + 4 * (lane % 4), 4);
        } else {
            std::uint16_t lo, hi;
            std::memcpy(&lo, detail::checked_row(s, 8 * i + 2 * (lane % 4)) + 2 * (lane / 4), 2);
            std::memcpy(&hi, detail::checked_row(s, 8 * i + 2 * (lane % 4) + 1) + 2 * (lane / 4), 2);
            r[i] = static_cast<std::uint32_t>(lo) | (static_cast<std::uint32_t>(hi) << 16);
        }
    }
}

/** cp.async.cg.shared.global of 16 bytes, deferred: joins the calling thread's open group. */
inline void cp_async16(void* smem, const void* gmem) {
    if (((reinterpret_cast<std::uintptr_t>(smem) | reinterpret_cast<std::uintptr_t>(gmem)) & 15u) != 0) {
        std::string msg = "cp_async16: addresses must be 16-byte aligned (shared " +
                          std::to_string(reinterpret_cast<std::uintptr_t>(smem)) + ", global " +
                          std::to_string(reinterpret_cast<std::uintptr_t>(gmem)) + ")";
        detail::fatal(msg.c_str());
    }
    attnc_emu::detail::t_async.copies.push_back({smem, gmem});
}

/** cp.async.commit_group: closes the open group (possibly empty). */
inline void cp_async_commit() {
    auto& st = attnc_emu::detail::t_async;
    st.ends.push_back(st.copies.size());
}

/**
 * cp.async.wait_group n: performs (reading the sources now) the copies of all but the newest n
 * closed groups of the calling thread, oldest first. The open group is not touched.
 */
inline void cp_async_wait(int n) {
    auto& st = attnc_emu::detail::t_async;
    if (n < 0) detail::fatal("cp_async_wait: negative group count");
    if (st.ends.size() <= static_cast<std::size_t>(n)) return;
    const std::size_t groups = st.ends.size() - static_cast<std::size_t>(n);
    const std::size_t upto = st.ends[groups - 1];
    for (std::size_t i = 0; i < upto; ++i) std::memcpy(st.copies[i].dst, st.copies[i].src, 16);
    st.copies.erase(st.copies.begin(), st.copies.begin() + static_cast<std::ptrdiff_t>(upto));
    st.ends.erase(st.ends.begin(), st.ends.begin() + static_cast<std::ptrdiff_t>(groups));
    for (std::size_t& e : st.ends) e -= upto;
}

}  // namespace attnc_emu::tc

#endif  // ATTNC_EMU_H
