package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The tile engine under every generated softmax kernel (the FlexAttention split: the
 * generated subclass says <em>which</em> keys — {@link #bind}, {@link #cover}, {@link #maskTile};
 * the engine says <em>how</em> — tiles, register blocking, online softmax, parallelism).
 *
 * <p>Per call: {@link #compute} validates the inputs and binds one {@link HeadBinding} per
 * (batch item, head); the engine then runs in three layers, one class each:
 * {@link TileScheduler} cuts the call into tasks of query tiles and runs them (in parallel
 * when the call is large) over K panels it pools between calls; {@link RowGroupSoftmax} splits
 * each tile into row groups, walks the keys of the group's {@link #cover} in chunks and keeps
 * the online softmax; {@link MicroKernels} computes scores and {@code O += P·V} for a register
 * block of up to 6 rows × 2 vectors. Memory per worker thread is O(queryTile·d + d·keyTile),
 * per call the K panels (pooled); nothing of size n×n or n×w exists.
 *
 * <p>Thread-safe: per-call state lives in bindings and per-thread scratch buffers; the only
 * shared state is a bounded cache of seeded random tables and the pool of K panels.
 */
public abstract class SparseAttentionKernel implements AttentionKernel {

    private static final int MAX_CACHED_TABLES = 256;

    private final String name;
    private final int headDim;
    private final int fixedHeads;
    private final int fixedLayers;
    private final int params;
    private final int globals;
    private final int randoms;
    private final int layoutBlock;
    private final Map<TableKey, RandomTable> tables = new ConcurrentHashMap<>();
    /** How the pattern is computed: tasks and K panels, row groups, register blocks. */
    private final TileScheduler engine;

    /** The sizes a generated kernel fixes, and its schedule. */
    public record Config(String name, int headDim, double scale, int heads, int layers, int queryTile, int keyTile,
                         int grain, int params, int globals, int randoms, int layoutBlock) {
        public Config {
            if (headDim < 1 || queryTile < 1 || keyTile < 1 || grain < 1) {
                throw new IllegalArgumentException("bad kernel config " + name);
            }
        }
    }

    protected SparseAttentionKernel(Config c) {
        this.name = c.name();
        this.headDim = c.headDim();
        this.fixedHeads = c.heads();
        this.fixedLayers = c.layers();
        this.params = c.params();
        this.globals = c.globals();
        this.randoms = c.randoms();
        this.layoutBlock = c.layoutBlock();
        RowGroupSoftmax rows = new RowGroupSoftmax(this, c.headDim(), c.scale(), c.queryTile(), c.keyTile(), c.globals() > 0);
        this.engine = new TileScheduler(rows, c.headDim(), c.grain());
    }

    // ---- what the generated subclass provides -------------------------------------------

    /** Fills the binding's parameter slots, global sets, random tables and row stride. */
    protected abstract void bind(HeadBinding c);

    /** The key segments rows {@code first + stride·t, t < count} may attend (DESIGN.md §4). */
    protected abstract KeyCover cover(HeadBinding c, int first, int stride, int count);

    /**
     * Sets {@code s[r·ld + t]} to {@code -∞} where row {@code first + stride·(r0 + r)} may not
     * attend key {@code keys[t]}, for {@code r < rows}, {@code tFrom <= t < tTo}.
     */
    protected abstract void maskTile(HeadBinding c, int first, int stride, int r0, int rows, int[] keys, int tFrom,
                                     int tTo, float[] s, int ld);

    // ---- the kernel API -----------------------------------------------------------------

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int headDim() {
        return headDim;
    }

    /** The seeded random table of {@code slot} at (layer, head, n), made once and cached. */
    protected final RandomTable randomTable(int slot, int layer, int head, int n, Supplier<RandomTable> make) {
        TableKey key = new TableKey(slot, layer, head, n);
        RandomTable t = tables.get(key);
        if (t == null) {
            t = make.get();
            if (tables.size() >= MAX_CACHED_TABLES) {
                tables.clear();
            }
            tables.put(key, t);
        }
        return t;
    }

    /** {@code values[index]} of a per-layer or per-head list, with a clear error when out of range. */
    protected static int pick(int[] values, int index, String what) {
        if (index < 0 || index >= values.length) {
            throw new IllegalArgumentException(what + " " + index + " is out of range: the spec lists " + values.length
                    + " values per " + what);
        }
        return values[index];
    }

    private record TableKey(int slot, int layer, int head, int n) {}

    /**
     * The bindings of a call, one per (batch item, head) at index {@code b·H + h}, after the
     * same validation as {@link #compute}: what other backends (the CUDA host code) upload so
     * that their kernels see the same parameters, global sets and random tables.
     */
    public final HeadBinding[] bindAll(AttentionInputs in) {
        validate(in);
        AttentionShape s = in.shape();
        HeadBinding[] bindings = new HeadBinding[s.batch() * s.heads()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                bindings[b * s.heads() + h] = bindHead(in, b, h);
            }
        }
        return bindings;
    }

    /** The binding of batch item {@code b}, head {@code h}: parameters, global sets, random tables. */
    private HeadBinding bindHead(AttentionInputs in, int b, int h) {
        HeadBinding c = new HeadBinding(in, b, h, params, globals, randoms);
        bind(c);
        if (c.rowStride < 1) {
            throw new IllegalStateException("row stride " + c.rowStride);
        }
        return c;
    }

    @Override
    public final void compute(AttentionInputs in, float[] out) {
        validate(in);       // errors in the inputs first, then in out (bindAll validates again: cheap)
        in.checkOutput(out);
        engine.run(bindAll(in), out);
    }

    private void validate(AttentionInputs in) {
        AttentionShape s = in.shape();
        if (s.headDim() != headDim) {
            throw new IllegalArgumentException("q, k, v: pattern '" + name + "' was compiled for head dim " + headDim
                    + ", got " + in.layout().describe(s) + " in layout " + in.layout() + " (head dim " + s.headDim() + ")");
        }
        if (fixedHeads > 0 && s.heads() != fixedHeads) {
            throw new IllegalArgumentException("q, k, v: pattern '" + name + "' has " + fixedHeads + " heads, got "
                    + in.layout().describe(s) + " in layout " + in.layout() + " (" + s.heads() + " heads)");
        }
        if (fixedLayers > 0 && in.layer() >= fixedLayers) {
            throw new IllegalArgumentException("layer: pattern '" + name + "' has layers 0.." + (fixedLayers - 1) + ", got "
                    + in.layer());
        }
        if (layoutBlock > 0) {
            int[] lay = in.randomLayout();
            int nb = s.blocks(layoutBlock);
            if (lay == null) {
                throw new IllegalArgumentException("randomLayout is missing: pattern '" + name
                        + "' uses 'random from input'; expected int[H, nQueryBlocks, r] = [" + s.heads() + ", " + nb + ", r]");
            }
            if (lay.length != (long) s.heads() * nb * in.randomPerRow()) {
                throw new IllegalArgumentException("randomLayout: expected int[H, nQueryBlocks, r] = [" + s.heads() + ", " + nb
                        + ", " + in.randomPerRow() + "] for block " + layoutBlock + ", got " + lay.length + " ints");
            }
        }
    }
}
