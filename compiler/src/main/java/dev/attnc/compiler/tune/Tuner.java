package dev.attnc.compiler.tune;

import dev.attnc.compiler.PassObserver;
import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Chooses a softmax pattern's schedule by measuring, TVM-style: a few candidates around the cost
 * model's choice ({@link #candidates}) are compiled in memory ({@link KernelCompiler}, the path
 * {@code attnc run} uses) and timed on one representative input — batch 1, the spec's heads
 * (12 when it names none), its head dim, {@value #LENGTH} tokens, uniform values in [−1, 1).
 *
 * <p>Within a budget (about 2 s by default): the first half warms the JIT up on a short input
 * ({@value #WARM_LENGTH} tokens), every candidate in turn; the second half times one call of
 * each candidate in turn, round after round (at least two), and keeps each candidate's fastest
 * call. Interleaving spreads the machine's noise over all candidates; the fastest call is the
 * least disturbed. The choice is only as good as the measurement: on a busy machine it may
 * differ from run to run (every candidate computes the same attention).
 */
public final class Tuner {

    /** Tokens of the timed input. */
    public static final int LENGTH = 2048;
    /** Tokens of the warm-up input. */
    static final int WARM_LENGTH = 256;
    /** Heads of the timed input when the spec names none. */
    static final int DEFAULT_HEADS = 12;

    private Tuner() {}

    /** What the measurement found: the fastest schedule and each candidate's fastest call in seconds. */
    public record Result(Schedule best, Map<Schedule, Double> seconds) {}

    /**
     * The candidates around {@code base} (the cost model's choice, first): other register blocks
     * for its vector width, and twice its key tile.
     */
    public static List<Schedule> candidates(Schedule base) {
        int[][] shapes = base.vectorBits() >= 512
                ? new int[][] {{8, 2}, {4, 4}, {6, 2}, {6, 4}}
                : new int[][] {{6, 2}, {4, 2}, {4, 3}, {8, 1}};
        Set<Schedule> out = new LinkedHashSet<>();
        out.add(base);
        for (int[] s : shapes) {
            out.add(new Schedule(base.queryTile(), base.keyTile(), base.grain(), s[0], s[1], base.vectorBits()));
        }
        if (base.keyTile() * 2 <= 1024) {
            out.add(new Schedule(
                    base.queryTile(),
                    base.keyTile() * 2,
                    base.grain(),
                    base.rows(),
                    base.vectors(),
                    base.vectorBits()));
        }
        return new ArrayList<>(out);
    }

    /**
     * Measures {@link #candidates} of {@code p}'s default schedule on this machine (its vector
     * width) within {@code budgetNanos}, and returns the fastest.
     *
     * @throws IllegalArgumentException if {@code p} is not a softmax pattern
     * @throws RuntimeException         if a candidate cannot be built or run on the input (e.g.
     *                                  a pattern that needs a random-layout input)
     */
    public static Result tune(PatternIR p, long budgetNanos) {
        if (p.isAdditive()) {
            throw new IllegalArgumentException("pattern " + p.name() + " is additive: it has no schedule to tune");
        }
        Schedule base = Pipeline.lower(p, null, PassObserver.NONE).schedule();
        List<Schedule> cands = candidates(base);
        List<AttentionKernel> kernels = new ArrayList<>();
        for (Schedule s : cands) {
            kernels.add((AttentionKernel) KernelCompiler.load(p, s.overrides()));
        }
        int heads = p.heads().orElse(DEFAULT_HEADS);
        int kvHeads = p.kvHeads().orElse(heads); // a spec's kv_heads fixes k's and v's heads
        Call warm = new Call(heads, kvHeads, WARM_LENGTH, p.headDim());
        Call timed = new Call(heads, kvHeads, LENGTH, p.headDim());
        long start = System.nanoTime();
        long warmEnd = start + budgetNanos / 2;
        do {
            for (AttentionKernel k : kernels) {
                warm.run(k);
            }
        } while (System.nanoTime() < warmEnd);
        double[] best = new double[cands.size()];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        long end = start + budgetNanos;
        int rounds = 0;
        do {
            for (int c = 0; c < kernels.size(); c++) {
                long t0 = System.nanoTime();
                timed.run(kernels.get(c));
                best[c] = Math.min(best[c], (System.nanoTime() - t0) * 1e-9);
            }
            rounds++;
        } while (rounds < 2 || System.nanoTime() < end);
        Map<Schedule, Double> seconds = new LinkedHashMap<>();
        int win = 0;
        for (int c = 0; c < cands.size(); c++) {
            seconds.put(cands.get(c), best[c]);
            if (best[c] < best[win]) {
                win = c;
            }
        }
        return new Result(cands.get(win), seconds);
    }

    /** One call's inputs and output, made once and reused by every candidate. */
    private static final class Call {
        final AttentionInputs in;
        final float[] out;

        Call(int heads, int kvHeads, int n, int d) {
            AttentionShape shape = new AttentionShape(1, heads, n, d, kvHeads);
            Random rnd = new Random(n);
            in = AttentionInputs.builder(shape, TensorLayout.BHLD)
                    .qkv(
                            random(rnd, shape.elements()),
                            random(rnd, shape.kvElements()),
                            random(rnd, shape.kvElements()))
                    // read only by 'keys/queries from input': a prefix of half the sequence
                    .prefixLengths(n / 2)
                    // read only by 'segments from input': one document
                    .segmentIds(new int[n])
                    .build();
            out = new float[shape.elements()];
        }

        void run(AttentionKernel k) {
            k.compute(in, out);
        }

        private static float[] random(Random rnd, int size) {
            float[] a = new float[size];
            for (int i = 0; i < size; i++) {
                a[i] = rnd.nextFloat() * 2 - 1;
            }
            return a;
        }
    }
}
