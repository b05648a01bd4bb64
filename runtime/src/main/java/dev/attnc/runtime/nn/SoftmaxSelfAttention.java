package dev.attnc.runtime.nn;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.function.IntFunction;

/**
 * Multi-head self-attention whose attention step is a compiled {@link AttentionKernel}: Q, K, V
 * projections written straight into the kernel's token-major layout {@code [B, L, H·d]} (no
 * transposes), the kernel (which scales by {@code 1/sqrt(d)}, masks padding, applies the layer's
 * pattern), and the context in the same layout.
 *
 * <p>Longformer: with {@link GlobalProjections}, and global tokens in the call, the query global
 * projection runs over the global rows only. With few global tokens ({@link
 * FoldedGlobalRows#worthIt}) their attention is computed by {@link FoldedGlobalRows} without
 * projecting every token's global key and value; with many, the key and value global projections
 * run over every token and the kernel's global rows attend every real key through them. BigBird: a
 * random table given as input ({@link BigBirdLayout}) is passed to the kernel, and keys the
 * table repeats are added back through the kernel's log-sum-exp ({@link RepeatedKeys}), as
 * Hugging Face's softmax over the concatenated key list counts them.
 */
public final class SoftmaxSelfAttention implements AttentionBlock {

    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final GlobalProjections global;
    private final int heads;
    private final int headDim;
    private final KernelChoice kernels;

    /** Which kernel runs a call: by sequence length and whether a random table is given. */
    public interface KernelChoice {
        AttentionKernel kernel(int length, boolean layoutGiven);
    }

    public SoftmaxSelfAttention(
            Linear query, Linear key, Linear value, GlobalProjections global, int heads, KernelChoice kernels) {
        int hidden = query.outFeatures();
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "the query projection's " + hidden + " outputs do not split into " + heads + " heads");
        }
        for (Linear l : new Linear[] {key, value}) {
            if (l.outFeatures() != hidden || l.inFeatures() != query.inFeatures()) {
                throw new IllegalArgumentException("query, key and value projections differ in shape: ["
                        + hidden + ", " + query.inFeatures() + "] vs [" + l.outFeatures() + ", " + l.inFeatures()
                        + "]");
            }
        }
        this.query = query;
        this.key = key;
        this.value = value;
        this.global = global;
        this.heads = heads;
        this.headDim = hidden / heads;
        this.kernels = kernels;
    }

    /** One kernel for every call. */
    public static KernelChoice always(AttentionKernel kernel) {
        return (length, layoutGiven) -> kernel;
    }

    /** A kernel chosen by length only. */
    public static KernelChoice byLength(IntFunction<AttentionKernel> choice) {
        return (length, layoutGiven) -> choice.apply(length);
    }

    @Override
    public void forward(EncoderCall call, int layer, float[] hidden, float[] context) {
        Workspace ws = call.workspace();
        int rows = call.rows();
        query.forward(hidden, rows, ws.q);
        key.forward(hidden, rows, ws.k);
        value.forward(hidden, rows, ws.v);
        BigBirdLayout layout = call.randomLayout(layer);
        AttentionKernel kernel = kernels.kernel(call.length(), layout != null);
        AttentionShape shape = new AttentionShape(call.batch(), heads, call.length(), headDim);
        AttentionInputs.Builder in = AttentionInputs.builder(shape, TensorLayout.BLHD)
                .qkv(ws.q, ws.k, ws.v)
                .keyValid(call.keyValid())
                .layer(layer);
        boolean folded = false;
        if (call.anyGlobal()) {
            in.globalMask(call.globalMask());
            if (global != null) {
                globalQueries(call, hidden);
                folded = FoldedGlobalRows.worthIt(maxGlobalPerItem(call), heads, query.inFeatures());
                if (!folded) {
                    global.key().forward(hidden, rows, ws.kg());
                    global.value().forward(hidden, rows, ws.vg());
                    in.globalProjections(ws.qg(), ws.kg(), ws.vg());
                }
            }
        }
        boolean repeats = layout != null && layout.hasRepeats();
        if (layout != null) {
            in.randomLayout(layout.kernelTable(), layout.block(), layout.perRow());
        }
        if (repeats && !kernel.returnsLogSumExp()) {
            throw new IllegalArgumentException("random_layout repeats key blocks (as Hugging Face's eval-mode table"
                    + " does) and kernel " + kernel.name() + " cannot return the log-sum-exp needed to count them;"
                    + " use the java backend");
        }
        AttentionInputs inputs = in.build();
        if (repeats) {
            float[] lse = ws.lse(rows);
            kernel.compute(inputs, context, lse);
            RepeatedKeys.addBack(inputs, layout, lse, context);
        } else {
            kernel.compute(inputs, context);
        }
        if (folded) {
            // The kernel gave the global rows their local-projection attention: replace it.
            FoldedGlobalRows.apply(call, global, heads, hidden, ws.qg(), context);
        }
    }

    private static int maxGlobalPerItem(EncoderCall call) {
        int max = 0;
        for (int b = 0; b < call.batch(); b++) {
            int c = 0;
            for (int i = 0; i < call.length(); i++) {
                c += call.globalMask()[b * call.length() + i] ? 1 : 0;
            }
            max = Math.max(max, c);
        }
        return max;
    }

    /** The global query projection of the global rows only (gathered, projected, scattered back). */
    private void globalQueries(EncoderCall call, float[] hidden) {
        Workspace ws = call.workspace();
        int rows = call.rows();
        int in = query.inFeatures();
        int out = query.outFeatures();
        boolean[] g = call.globalMask();
        float[] qg = ws.qg();
        // Only the global rows need the global query: gather them, project, scatter back.
        int count = 0;
        for (boolean b : g) {
            count += b ? 1 : 0;
        }
        float[] gathered = new float[count * in];
        int[] at = new int[count];
        for (int t = 0, c = 0; t < rows; t++) {
            if (g[t]) {
                System.arraycopy(hidden, t * in, gathered, c * in, in);
                at[c++] = t;
            }
        }
        float[] projected = new float[count * out];
        global.query().forward(gathered, count, projected);
        for (int c = 0; c < count; c++) {
            System.arraycopy(projected, c * out, qg, at[c] * out, out);
        }
    }
}
