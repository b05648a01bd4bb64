/*
 * The machine's fp32 FMA peak, for "% of peak" figures (docs/TOOLCHAIN.md, docs/GEMM.md).
 *
 * Each thread runs 12 independent accumulator chains of vector FMAs (enough to cover the FMA
 * latency times the number of FMA pipes on current x86 cores), with the widest FMA the
 * compiler targets: _mm512_fmadd_ps where __AVX512F__ is defined, _mm256_fmadd_ps otherwise.
 * Reported: GFLOP/s (2 flops per lane per FMA) on one thread, then on one thread per core
 * (OpenMP, omp_get_num_procs() threads), best of a few repetitions.
 *
 * Build and run: bench/peak/run.sh (gcc -O3 -march=native -fopenmp).
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __AVX512F__
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define REDUCE(v) _mm512_reduce_add_ps(v)
#define ISA "AVX-512 (_mm512_fmadd_ps)"
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
static float reduce256(__m256 v) {
    float t[8];
    _mm256_storeu_ps(t, v);
    return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}
#define REDUCE(v) reduce256(v)
#define ISA "AVX2 (_mm256_fmadd_ps)"
#endif

#define CHAINS 12

/* iters × CHAINS FMAs; the result is returned so the compiler keeps the chains. */
static float chains(long iters, float seed) {
    vec a = SET1(0.999999f), b = SET1(1e-7f);
    vec c0 = SET1(seed), c1 = SET1(seed + 1), c2 = SET1(seed + 2), c3 = SET1(seed + 3);
    vec c4 = SET1(seed + 4), c5 = SET1(seed + 5), c6 = SET1(seed + 6), c7 = SET1(seed + 7);
    vec c8 = SET1(seed + 8), c9 = SET1(seed + 9), c10 = SET1(seed + 10), c11 = SET1(seed + 11);
    for (long i = 0; i < iters; i++) {
        c0 = FMA(c0, a, b); c1 = FMA(c1, a, b); c2 = FMA(c2, a, b); c3 = FMA(c3, a, b);
        c4 = FMA(c4, a, b); c5 = FMA(c5, a, b); c6 = FMA(c6, a, b); c7 = FMA(c7, a, b);
        c8 = FMA(c8, a, b); c9 = FMA(c9, a, b); c10 = FMA(c10, a, b); c11 = FMA(c11, a, b);
    }
    vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
    s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
    return REDUCE(s);
}

/* Best GFLOP/s of `reps` runs of `iters` iterations on `threads` threads. */
static double measure(int threads, long iters, int reps) {
    double best = 0;
    volatile float sink = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = 0, t1 = 0;
        float total = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
        {
#pragma omp barrier
#pragma omp master
            t0 = omp_get_wtime();
#pragma omp barrier
            total += chains(iters, (float)omp_get_thread_num());
#pragma omp barrier
#pragma omp master
            t1 = omp_get_wtime();
        }
        sink += total;
        double flops = 2.0 * LANES * CHAINS * (double)iters * threads;
        double gflops = flops / (t1 - t0) / 1e9;
        if (gflops > best) best = gflops;
    }
    (void)sink;
    return best;
}

int main(int argc, char **argv) {
    long iters = argc > 1 ? atol(argv[1]) : 200000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    int cores = omp_get_num_procs();
    measure(cores, iters / 10, 1); /* warm up: clocks, thread start */
    double one = measure(1, iters, reps);
    double all = measure(cores, iters, reps);
    printf("fma_peak: %s, %d chains, best of %d runs of %ld iterations\n", ISA, CHAINS, reps, iters);
    printf("1 thread:   %.1f GFLOP/s\n", one);
    printf("%d threads:  %.1f GFLOP/s\n", cores, all);
    return 0;
}
