package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;

/**
 * The tile engine under every generated softmax kernel (the FlexAttention split: the
 * pattern's {@link PatternBinding} says <em>which</em> keys — {@code bind}, {@code cover},
 * {@code maskTile}; the engine says <em>how</em> — tiles, register blocking, online softmax,
 * parallelism).
 *
 * <p>Per call: {@link #compute} validates the inputs and binds one {@link HeadBinding} per
 * (batch item, head) through the binding; the engine then runs in three layers, one class each:
 * {@link TileScheduler} cuts the call into tasks of query tiles and runs them (in parallel
 * when the call is large) over K panels it pools between calls; {@link RowGroupSoftmax} splits
 * each tile into row groups, walks the keys of the group's cover in chunks and keeps the online
 * softmax; {@link MicroKernels} computes scores and {@code O += P·V} for a register block of up
 * to 6 rows × 2 vectors. Memory per worker thread is O(queryTile·d + d·keyTile), per call the
 * K panels (pooled); nothing of size n×n or n×w exists. On request the call also returns each
 * row's log-sum-exp ({@link #compute(AttentionInputs, float[], float[])}), read off the online
 * softmax at no cost to the output.
 *
 * <p>Thread-safe: per-call state lives in bindings and per-thread scratch buffers; the only
 * shared state is the binding's bounded cache of seeded random tables and the pool of K panels.
 */
public abstract class SparseAttentionKernel implements AttentionKernel {

    private final PatternBinding binding;
    /** How the pattern is computed: tasks and K panels, row groups, register blocks. */
    private final TileScheduler engine;

    /** A generated kernel's schedule: query rows per tile, keys per chunk, query tiles per task. */
    public record Schedule(int queryTile, int keyTile, int grain) {
        public Schedule {
            if (queryTile < 1 || keyTile < 1 || grain < 1) {
                throw new IllegalArgumentException("bad kernel schedule " + queryTile + "/" + keyTile + "/" + grain);
            }
        }
    }

    protected SparseAttentionKernel(PatternBinding binding, Schedule schedule) {
        this.binding = binding;
        RowGroupSoftmax rows = new RowGroupSoftmax(
                binding,
                binding.headDim(),
                binding.scale(),
                schedule.queryTile(),
                schedule.keyTile(),
                binding.globals() > 0);
        this.engine = new TileScheduler(rows, binding.headDim(), schedule.grain());
    }

    // ---- the kernel API -----------------------------------------------------------------

    @Override
    public final String name() {
        return binding.name();
    }

    @Override
    public final int headDim() {
        return binding.headDim();
    }

    /** The pattern's host side: validation and the bindings of a call, as the other backends use it. */
    public final PatternBinding binding() {
        return binding;
    }

    /**
     * The bindings of a call, one per (batch item, head) at index {@code b·H + h}, after the
     * same validation as {@link #compute} ({@link PatternBinding#bindAll}).
     */
    public final HeadBinding[] bindAll(AttentionInputs in) {
        return binding.bindAll(in);
    }

    @Override
    public final void compute(AttentionInputs in, float[] out) {
        binding.validate(in);
        in.checkOutput(out);
        engine.run(binding.bindAll(in), out, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The output is bit-identical to {@link #compute(AttentionInputs, float[])}'s: the
     * log-sum-exp is read off the online softmax's running maximum and sum once a row is done,
     * {@code lse = ln 2 · (m + log₂ l)} (scores are kept in log2 units), and the scores are the
     * kernel's fp32 scores (its {@code 2^x} has a relative error below 4e-6).
     */
    @Override
    public final void compute(AttentionInputs in, float[] out, float[] lse) {
        binding.validate(in);
        in.checkOutput(out);
        in.checkLogSumExp(lse);
        engine.run(binding.bindAll(in), out, lse);
    }

    @Override
    public final boolean returnsLogSumExp() {
        return true;
    }
}
