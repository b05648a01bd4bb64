package dev.attnc.runtime.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * How one additive call is cut and run: the pooling passes take tiles of {@link #tokens} tokens
 * of one batch item (so a single long item still runs on every thread), the output pass tiles
 * of rows. Tasks run as a parallel stream, so on the caller's {@link ForkJoinPool} (the common
 * pool with the calling thread, or the pool a model call runs in), or on the calling thread
 * alone for a call below {@link #SEQUENTIAL_FLOATS} activations.
 *
 * @param tokens tokens of a pooling tile, a multiple of {@link AdditivePooling#BLOCK}
 * @param threads threads the tasks will run on
 * @param parallel false: every task on the calling thread
 */
record AdditiveSchedule(int tokens, int threads, boolean parallel) {

    /** Activations ({@code B·n·E}) below which a call runs on the calling thread. */
    static final long SEQUENTIAL_FLOATS = 1L << 15;

    /** Fewest and most tokens of a pooling tile. */
    static final int MIN_TOKENS = 64;

    static final int MAX_TOKENS = 1024;

    /** The schedule of a call with {@code batch} items of {@code n} tokens of width {@code e}. */
    static AdditiveSchedule of(int batch, int n, int e) {
        ForkJoinPool pool = ForkJoinTask.getPool();
        int threads = pool != null ? pool.getParallelism() : ForkJoinPool.getCommonPoolParallelism() + 1;
        boolean parallel = threads > 1 && (long) batch * n * e >= SEQUENTIAL_FLOATS;
        // About eight tiles a thread over the whole batch, for balance on shared cores.
        long perTile = ((long) batch * n + 8L * threads - 1) / (8L * threads);
        int tokens = (int) Math.min(MAX_TOKENS, Math.max(MIN_TOKENS, perTile));
        tokens = (tokens + AdditivePooling.BLOCK - 1) / AdditivePooling.BLOCK * AdditivePooling.BLOCK;
        return new AdditiveSchedule(tokens, threads, parallel);
    }

    /** Runs {@code task} for {@code 0 <= t < tasks}, in parallel when the schedule says so. */
    void forEach(int tasks, IntConsumer task) {
        if (parallel && tasks > 1) {
            IntStream.range(0, tasks).parallel().forEach(task);
        } else {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
        }
    }
}
