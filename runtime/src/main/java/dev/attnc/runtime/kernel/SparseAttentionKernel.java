package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import jdk.incubator.vector.FloatVector;

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
 * softmax; a {@link MicroKernel} computes scores, the softmax step and {@code O += P·V} for
 * one register block — the generated kernel's own, specialised by the compiler to its head
 * dim, register block and vector species, or {@link GenericMicroKernel}. Memory per worker thread is O(queryTile·d + d·keyTile), per call the
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

    /** The register-blocked inner loops this kernel runs. */
    private final MicroKernel micro;

    /** A kernel on the runtime's generic inner loops ({@link GenericMicroKernel}). */
    protected SparseAttentionKernel(PatternBinding binding, Schedule schedule) {
        this(binding, schedule, new GenericMicroKernel(binding.headDim()));
    }

    /**
     * A kernel on {@code micro}, its own inner loops, for heads of {@code binding.headDim()}.
     * When {@code micro} computes with wider vectors than this machine's preferred species (a
     * kernel generated on another machine), the kernel runs {@link GenericMicroKernel} instead:
     * the Vector API would emulate the wider vectors in scalar code, tens of times slower.
     *
     * @throws IllegalArgumentException if {@code micro.headDim()} is not the binding's head dim
     */
    protected SparseAttentionKernel(PatternBinding binding, Schedule schedule, MicroKernel micro) {
        this.binding = binding;
        this.micro = micro.vectorBits() <= FloatVector.SPECIES_PREFERRED.vectorBitSize()
                ? micro
                : new GenericMicroKernel(binding.headDim());
        RowGroupSoftmax rows = new RowGroupSoftmax(
                binding,
                this.micro,
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

    /**
     * The inner loops this kernel runs: its own (generated) micro-kernel, or
     * {@link GenericMicroKernel} when it has none or when its vectors are wider than this
     * machine's.
     */
    public final MicroKernel microKernel() {
        return micro;
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
