package dev.attnc.bench.peak;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's fp32 FMA peak through the Vector API, for machines without a C compiler (else
 * {@code bench/peak/fma_peak.c} is used): each thread runs {@value #CHAINS} independent
 * accumulator chains of {@code FloatVector.fma} on {@link FloatVector#SPECIES_PREFERRED} (the
 * widest vectors C2 compiles to), one thread and then one thread per core, best of a few runs
 * after a warm-up that lets C2 compile the loop. Prints the same lines as {@code fma_peak.c}:
 *
 * <pre>
 *   fma_peak: Vector API FloatVector.SPECIES_PREFERRED (512 bits), 12 chains, best of 5 runs of … iterations
 *   1 thread:   … GFLOP/s
 *   2 threads:  … GFLOP/s
 * </pre>
 * Run: {@code java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar
 * dev.attnc.bench.peak.VectorFmaPeak [iterations [runs]]}.
 */
public final class VectorFmaPeak {

    /** Independent chains per thread: covers FMA latency × FMA pipes on current x86 cores. */
    static final int CHAINS = 12;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorFmaPeak() {}

    /** {@code iters × CHAINS} vector FMAs; the sum is returned so the chains stay live. */
    static float chains(long iters, float seed) {
        FloatVector a = FloatVector.broadcast(S, 0.999999f);
        FloatVector b = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = FloatVector.broadcast(S, seed + 1);
        FloatVector c2 = FloatVector.broadcast(S, seed + 2), c3 = FloatVector.broadcast(S, seed + 3);
        FloatVector c4 = FloatVector.broadcast(S, seed + 4), c5 = FloatVector.broadcast(S, seed + 5);
        FloatVector c6 = FloatVector.broadcast(S, seed + 6), c7 = FloatVector.broadcast(S, seed + 7);
        FloatVector c8 = FloatVector.broadcast(S, seed + 8), c9 = FloatVector.broadcast(S, seed + 9);
        FloatVector c10 = FloatVector.broadcast(S, seed + 10), c11 = FloatVector.broadcast(S, seed + 11);
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        FloatVector s = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)));
        s = s.add(c8.add(c9).add(c10.add(c11)));
        return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Best GFLOP/s of {@code runs} runs of {@code iters} iterations on {@code threads} threads. */
    static double measure(int threads, long iters, int runs) throws InterruptedException {
        double best = 0;
        float[] sink = new float[threads];
        for (int r = 0; r < runs; r++) {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    sink[id] += chains(iters, id);
                });
                ts[t].start();
            }
            ready.await();
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            long t1 = System.nanoTime();
            double flops = 2.0 * S.length() * CHAINS * (double) iters * threads;
            best = Math.max(best, flops / (t1 - t0));
        }
        if (Float.isNaN(sink[0])) {
            System.out.println("(sink " + sink[0] + ")");
        }
        return best;
    }

    public static void main(String[] args) throws InterruptedException {
        long iters = args.length > 0 ? Long.parseLong(args[0]) : 200_000_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int cores = Runtime.getRuntime().availableProcessors();
        for (int w = 0; w < 20; w++) {
            chains(200_000, w); // C2 compiles the loop (and its OSR version) before timing
        }
        measure(cores, iters / 10, 1);
        double one = measure(1, iters, runs);
        double all = measure(cores, iters, runs);
        System.out.printf(
                Locale.ROOT,
                "fma_peak: Vector API FloatVector.SPECIES_PREFERRED (%d bits), %d chains, best of %d runs of %d"
                        + " iterations%n",
                S.vectorBitSize(),
                CHAINS,
                runs,
                iters);
        System.out.printf(Locale.ROOT, "1 thread:   %.1f GFLOP/s%n", one);
        System.out.printf(Locale.ROOT, "%d threads:  %.1f GFLOP/s%n", cores, all);
    }
}
