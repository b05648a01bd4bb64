package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.SegmentRuns;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The host side of a softmax pattern: which keys each query may attend, with everything that
 * depends on the call — the pattern's sizes, the validation of the inputs against them, the
 * parameter values per layer and head, the global sets, the random-block tables. The
 * generated {@code <Name>Kernel.Binding} subclass supplies {@link #bind}, {@link #cover} and
 * {@link #maskTile}; the Java engine ({@link SparseAttentionKernel}), the CUDA host code
 * ({@code CudaBinding}) and the CPU emulator all bind through it, so every backend sees the
 * same sets.
 *
 * <p>Needs neither javac nor the Vector API: this class and what it loads ({@link HeadBinding},
 * {@link GlobalSet}, {@link KeyCover}, {@link RandomTable}) import no {@code jdk.incubator.vector}
 * type, so a GPU host runs without {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Thread-safe: the only shared state is a bounded cache of seeded random tables.
 */
public abstract class PatternBinding {

    private static final int MAX_CACHED_TABLES = 256;

    private final Config config;
    private final Map<TableKey, RandomTable> tables = new ConcurrentHashMap<>();

    /**
     * The sizes a generated pattern fixes: head dim, softmax scale, heads and layers (0 when
     * free), the counts of parameter slots, global sets and random tables, the block of a
     * runtime random layout (0 when the pattern has none), and the spec's {@code kv_heads}
     * (0 when free: k and v may hold any head count dividing the query heads).
     */
    public record Config(
            String name,
            int headDim,
            double scale,
            int heads,
            int layers,
            int params,
            int globals,
            int randoms,
            int layoutBlock,
            int kvHeads) {
        public Config {
            if (headDim < 1 || params < 0 || globals < 0 || randoms < 0 || kvHeads < 0) {
                throw new IllegalArgumentException("bad pattern config " + name);
            }
        }

        /** A pattern without {@code kv_heads} (kv heads free). */
        public Config(
                String name,
                int headDim,
                double scale,
                int heads,
                int layers,
                int params,
                int globals,
                int randoms,
                int layoutBlock) {
            this(name, headDim, scale, heads, layers, params, globals, randoms, layoutBlock, 0);
        }
    }

    protected PatternBinding(Config config) {
        this.config = config;
    }

    // ---- what the generated subclass provides -------------------------------------------

    /** Fills the binding's parameter slots, global sets, random tables and row stride. */
    protected abstract void bind(HeadBinding c);

    /** The key segments rows {@code first + stride·t, t < count} may attend (docs/DESIGN.md §4). */
    protected abstract KeyCover cover(HeadBinding c, int first, int stride, int count);

    /**
     * Sets {@code s[r·ld + t]} to {@code -∞} where row {@code first + stride·(r0 + r)} may not
     * attend key {@code keys[t]}, for {@code r < rows}, {@code tFrom <= t < tTo}.
     */
    protected abstract void maskTile(
            HeadBinding c, int first, int stride, int r0, int rows, int[] keys, int tFrom, int tTo, float[] s, int ld);

    /**
     * The pattern's score modifiers (per-head scale, soft cap, ALiBi), applied by every backend
     * to the allowed pairs' scores before the softmax; {@link ScoreMods#NONE} unless the
     * generated subclass overrides it (patterns without modifiers do not).
     */
    public ScoreMods scoreMods() {
        return ScoreMods.NONE;
    }

    // ---- the pattern's sizes ------------------------------------------------------------

    public final Config config() {
        return config;
    }

    public final String name() {
        return config.name();
    }

    public final int headDim() {
        return config.headDim();
    }

    /** The softmax scale (natural units). */
    public final double scale() {
        return config.scale();
    }

    /** Global sets per head (the pattern's {@code global} terms). */
    public final int globals() {
        return config.globals();
    }

    // ---- binding a call -----------------------------------------------------------------

    /** Checks {@code in} against the pattern: head dim, fixed heads, kv heads and layers, the runtime random layout. */
    public final void validate(AttentionInputs in) {
        AttentionShape s = in.shape();
        String name = config.name();
        int headDim = config.headDim();
        if (s.headDim() != headDim) {
            throw new IllegalArgumentException("q, k, v: pattern '" + name + "' was compiled for head dim " + headDim
                    + ", got " + in.layout().describe(s) + " in layout " + in.layout() + " (head dim " + s.headDim()
                    + ")");
        }
        int fixedHeads = config.heads();
        if (fixedHeads > 0 && s.heads() != fixedHeads) {
            throw new IllegalArgumentException("q, k, v: pattern '" + name + "' has " + fixedHeads + " heads, got "
                    + in.layout().describe(s) + " in layout " + in.layout() + " (" + s.heads() + " heads)");
        }
        int fixedKv = config.kvHeads();
        if (fixedKv > 0 && s.kvHeads() != fixedKv) {
            AttentionShape want = new AttentionShape(s.batch(), fixedKv, s.length(), s.headDim());
            throw new IllegalArgumentException("k, v: pattern '" + name + "' has kv_heads " + fixedKv
                    + ", expected " + in.layout().describe(want) + " in layout " + in.layout() + ", got "
                    + in.layout().describe(s.kvShape()) + " (" + s.kvHeads() + " kv heads)");
        }
        int fixedLayers = config.layers();
        if (fixedLayers > 0 && in.layer() >= fixedLayers) {
            throw new IllegalArgumentException(
                    "layer: pattern '" + name + "' has layers 0.." + (fixedLayers - 1) + ", got " + in.layer());
        }
        int layoutBlock = config.layoutBlock();
        if (layoutBlock > 0) {
            int[] lay = in.randomLayout();
            int nb = s.blocks(layoutBlock);
            if (lay == null) {
                throw new IllegalArgumentException("randomLayout is missing: pattern '" + name
                        + "' uses 'random from input'; expected int[H, nQueryBlocks, r] = [" + s.heads() + ", " + nb
                        + ", r]");
            }
            if (lay.length != (long) s.heads() * nb * in.randomPerRow()) {
                throw new IllegalArgumentException(
                        "randomLayout: expected int[H, nQueryBlocks, r] = [" + s.heads() + ", " + nb + ", "
                                + in.randomPerRow() + "] for block " + layoutBlock + ", got " + lay.length + " ints");
            }
        }
    }

    /**
     * The bindings of a call, one per (batch item, head) at index {@code b·H + h}, after
     * {@link #validate}: what every backend reads (the Java engine, the CUDA host code, which
     * uploads them) so that all see the same parameters, global sets and random tables.
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

    /**
     * The binding of batch item {@code b}, head {@code h} of inputs already {@linkplain #validate
     * validated}: parameters, global sets, random tables, row stride.
     */
    public final HeadBinding bindHead(AttentionInputs in, int b, int h) {
        HeadBinding c = new HeadBinding(in, b, h, config.params(), config.globals(), config.randoms());
        bind(c);
        if (c.rowStride < 1) {
            throw new IllegalStateException("row stride " + c.rowStride);
        }
        return c;
    }

    // ---- helpers of the generated code --------------------------------------------------

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

    /**
     * The segments of {@code c}'s batch item, for a pattern with {@code segments from input}.
     *
     * @throws IllegalArgumentException when the inputs have no segment ids
     */
    protected final SegmentRuns segments(HeadBinding c) {
        if (!c.in.hasSegmentIds()) {
            AttentionShape s = c.in.shape();
            throw new IllegalArgumentException("segmentIds is missing: pattern '" + config.name()
                    + "' uses 'segments from input'; expected int[B, L] = [" + s.batch() + ", " + s.length() + "]");
        }
        return c.in.segments(c.batch);
    }

    /** {@code values[index]} of a per-layer or per-head list, with a clear error when out of range. */
    protected static int pick(int[] values, int index, String what) {
        if (index < 0 || index >= values.length) {
            throw new IllegalArgumentException(
                    what + " " + index + " is out of range: the spec lists " + values.length + " values per " + what);
        }
        return values[index];
    }

    private record TableKey(int slot, int layer, int head, int n) {}
}
