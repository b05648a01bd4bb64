package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.interp.ReferenceAttention;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code attnc run FILE --pattern P --backend reference -i NAME=X.npy … -o OUT.npy}. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        header = "Run a pattern on NumPy .npy inputs and write the output as .npy.",
        description = {
            "Softmax patterns take q, k, v (and optionally qg, kg, vg, global_mask, key_valid, layout); "
                    + "additive patterns take q, k, v (v omitted when the value shares the query), W_qa, b_qa, "
                    + "W_ka, b_ka, W_r, b_r. Inputs are float32 (masks bool or int32 0/1, layout int32), C order.",
            "Layouts: bhld = [B, H, L, D]; blhd = token-major [B, L, H*D], which needs the head count "
                    + "(--heads, or the pattern's 'heads'). Additive inputs are always token-major.",
            "Backends: reference (the dense oracle, in double precision, O(n^2)). The generated Java and "
                    + "CUDA kernels are not part of this build yet."
        },
        footer = ExitCodes.FOOTER)
final class RunCommand implements Callable<Integer> {

    /** Every input name {@code run} and the kernel API know. */
    static final List<String> NAMES = List.of("q", "k", "v", "qg", "kg", "vg", "global_mask", "key_valid", "layout",
            "W_qa", "b_qa", "W_ka", "b_ka", "W_r", "b_r");

    enum Backend { reference }

    enum Layout { bhld, blhd }

    @Parameters(paramLabel = "FILE", description = "a spec file (.attn)")
    String file;

    @Option(names = "--pattern", paramLabel = "P", description = "the pattern to run (default: the file's only pattern)")
    String pattern;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "reference",
            description = "one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Backend backend;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy", required = true,
            description = "an input; NAME is one of: q k v qg kg vg global_mask key_valid layout W_qa b_qa W_ka b_ka W_r b_r")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy", required = true, description = "where to write the output")
    String output;

    @Option(names = "--layout", paramLabel = "bhld|blhd", description = "layout of q, k, v and the output (default: bhld)")
    Layout layout;

    @Option(names = "--heads", paramLabel = "H", description = "head count, for token-major inputs")
    Integer heads;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "0", description = "layer index (default: ${DEFAULT-VALUE})")
    int layer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String name : inputs.keySet()) {
            if (!NAMES.contains(name)) {
                throw new UserError("unknown input '" + name + "'; the inputs are: " + String.join(" ", NAMES));
            }
        }
        Pipeline.Result result = SpecFiles.compile(file, spec.commandLine().getErr());
        if (!result.ok()) {
            return ExitCodes.USER_ERROR;
        }
        PatternIR p = SpecFiles.select(result, file, pattern);
        if (layer < 0 || (p.layers().isPresent() && layer >= p.layers().getAsInt())) {
            throw new UserError("--layer " + layer + " is out of range" + (p.layers().isPresent()
                    ? ": the pattern has " + p.layers().getAsInt() + " layers" : ""));
        }
        Map<String, InputArray> arrays = new LinkedHashMap<>();
        inputs.forEach((name, path) -> arrays.put(name, ArrayFiles.read(name, Path.of(path))));
        float[] out;
        int[] outShape;
        if (p.attention() instanceof Attention.Additive a) {
            if (layout == Layout.bhld) {
                throw new UserError("additive patterns take token-major inputs [B, L, H*D]; drop --layout bhld");
            }
            AdditiveInputs in = additive(p, a, arrays);
            outShape = arrays.get("q").shape();
            out = toFloats(AdditiveReference.attention(in, p.effectiveScale()));
        } else {
            AttentionInputs in = softmax(p, arrays);
            outShape = arrays.get("q").shape();
            out = toFloats(ReferenceAttention.compute(result.unit().orElseThrow(), p.name(), in, p.effectiveScale()));
        }
        ArrayFiles.write(Path.of(output), out, outShape);
        spec.commandLine().getOut().println("wrote " + output + " " + java.util.Arrays.toString(outShape) + " (" + p.name()
                + ", backend " + backend + ")");
        return ExitCodes.OK;
    }

    private AttentionInputs softmax(PatternIR p, Map<String, InputArray> a) {
        require(a, Set.of("q", "k", "v"), "softmax attention");
        refuse(a, Set.of("W_qa", "b_qa", "W_ka", "b_ka", "W_r", "b_r"), "a softmax pattern");
        InputArray q = a.get("q");
        Layout lay = layout == null ? Layout.bhld : layout;
        AttentionShape shape;
        int d = p.headDim();
        if (lay == Layout.bhld) {
            if (q.dims() != 4) {
                throw new UserError("input q: expected shape [B, H, L, " + d + "] for layout bhld, got " + q.shapeText());
            }
            shape = new AttentionShape(q.shape()[0], q.shape()[1], q.shape()[2], q.shape()[3]);
        } else {
            int h = headCount(p);
            if (q.dims() != 3 || q.shape()[2] != h * d) {
                throw new UserError("input q: expected shape [B, L, " + h * d + "] (" + h + " heads × head_dim " + d
                        + ") for layout blhd, got " + q.shapeText());
            }
            shape = new AttentionShape(q.shape()[0], h, q.shape()[1], d);
        }
        if (shape.headDim() != d) {
            throw new UserError("input q: the last dimension is " + shape.headDim() + " but pattern " + p.name()
                    + " has head_dim " + d);
        }
        if (p.heads().isPresent() && p.heads().getAsInt() != shape.heads()) {
            throw new UserError("input q: " + shape.heads() + " heads, but pattern " + p.name() + " has heads "
                    + p.heads().getAsInt());
        }
        for (String name : List.of("k", "v", "qg", "kg", "vg")) {
            if (a.containsKey(name)) {
                a.get(name).requireShape("the shape of q", q.shape());
            }
        }
        TensorLayout tl = lay == Layout.bhld ? TensorLayout.BHLD : TensorLayout.BLHD;
        AttentionInputs.Builder b = AttentionInputs.builder(shape, tl)
                .qkv(q.requireFloats(), a.get("k").requireFloats(), a.get("v").requireFloats()).layer(layer);
        int given = (a.containsKey("qg") ? 1 : 0) + (a.containsKey("kg") ? 1 : 0) + (a.containsKey("vg") ? 1 : 0);
        if (given != 0 && given != 3) {
            throw new UserError("inputs qg, kg, vg: give all three separate global projections or none");
        }
        if (given == 3) {
            b.globalProjections(a.get("qg").requireFloats(), a.get("kg").requireFloats(), a.get("vg").requireFloats());
        }
        if (a.containsKey("global_mask")) {
            b.globalMask(a.get("global_mask").requireShape("[B, L]", shape.batch(), shape.length()).requireMask());
        }
        if (a.containsKey("key_valid")) {
            b.keyValid(a.get("key_valid").requireShape("[B, L]", shape.batch(), shape.length()).requireMask());
        }
        if (a.containsKey("layout")) {
            int block = layoutBlock(p.mask());
            if (block == 0) {
                throw new UserError("input layout: pattern " + p.name() + " has no 'random from input' term to use it");
            }
            InputArray l = a.get("layout");
            if (l.dims() != 3 || l.shape()[0] != shape.heads() || l.shape()[1] != shape.blocks(block)) {
                throw new UserError("input layout: expected shape [" + shape.heads() + ", " + shape.blocks(block)
                        + ", r] (heads, query blocks of " + block + ", random blocks per row), got " + l.shapeText());
            }
            b.randomLayout(l.requireInts(), block, l.shape()[2]);
        }
        return b.build();
    }

    private AdditiveInputs additive(PatternIR p, Attention.Additive add, Map<String, InputArray> a) {
        require(a, Set.of("q", "k", "W_qa", "W_ka"), "additive attention");
        refuse(a, Set.of("qg", "kg", "vg", "global_mask", "layout"), "an additive pattern");
        if (add.sharedValue() && a.containsKey("v")) {
            throw new UserError("input v: pattern " + p.name() + " shares the value with the query (v = q); "
                    + "drop -i v=…, or write 'additive (value separate)' in the spec");
        }
        if (!add.sharedValue() && !a.containsKey("v")) {
            throw new UserError("input v is missing: pattern " + p.name() + " has a separate value");
        }
        int d = p.headDim();
        int h = headCount(p);
        InputArray q = a.get("q");
        if (q.dims() != 3 || q.shape()[2] != h * d) {
            throw new UserError("input q: expected shape [B, L, " + h * d + "] (" + h + " heads × head_dim " + d
                    + "), got " + q.shapeText());
        }
        int batch = q.shape()[0];
        int length = q.shape()[1];
        int e = h * d;
        a.get("k").requireShape("the shape of q", q.shape());
        if (a.containsKey("v")) {
            a.get("v").requireShape("the shape of q", q.shape());
        }
        int width = add.poolingMatrix() ? e : d;
        String pooling = add.poolingMatrix() ? "[H, H*D]" : "[H, D] (per-head pooling vectors)";
        float[] wq = a.get("W_qa").requireShape(pooling, h, width).requireFloats();
        float[] wk = a.get("W_ka").requireShape(pooling, h, width).requireFloats();
        float[] bq = a.containsKey("b_qa") ? a.get("b_qa").requireShape("[H]", h).requireFloats() : null;
        float[] bk = a.containsKey("b_ka") ? a.get("b_ka").requireShape("[H]", h).requireFloats() : null;
        AdditiveInputs.Builder b = AdditiveInputs.builder(batch, h, length, d)
                .qkv(q.requireFloats(), a.get("k").requireFloats(), a.containsKey("v") ? a.get("v").requireFloats() : null);
        if (add.poolingMatrix()) {
            b.poolingMatrices(wq, bq, wk, bk);
        } else {
            b.poolingVectors(wq, bq, wk, bk);
        }
        if (a.containsKey("W_r") != a.containsKey("b_r")) {
            throw new UserError("inputs W_r, b_r: give the output transform's matrix and bias together");
        }
        if (a.containsKey("W_r")) {
            b.outputTransform(a.get("W_r").requireShape("[H*D, H*D]", e, e).requireFloats(),
                    a.get("b_r").requireShape("[H*D]", e).requireFloats());
        }
        if (a.containsKey("key_valid")) {
            b.keyValid(a.get("key_valid").requireShape("[B, L]", batch, length).requireMask());
        }
        return b.build();
    }

    private int headCount(PatternIR p) {
        OptionalInt declared = p.heads();
        if (heads != null) {
            if (heads < 1) {
                throw new UserError("--heads must be at least 1, got " + heads);
            }
            if (declared.isPresent() && declared.getAsInt() != heads) {
                throw new UserError("--heads " + heads + " contradicts the pattern's heads " + declared.getAsInt());
            }
            return heads;
        }
        if (declared.isPresent()) {
            return declared.getAsInt();
        }
        throw new UserError("token-major inputs [B, L, H*D] need the head count: give --heads H");
    }

    private static void require(Map<String, InputArray> a, Set<String> names, String what) {
        for (String n : List.of("q", "k", "v", "W_qa", "W_ka")) {
            if (names.contains(n) && !a.containsKey(n)) {
                throw new UserError("input " + n + " is missing: " + what + " needs -i " + n + "=FILE.npy");
            }
        }
    }

    private static void refuse(Map<String, InputArray> a, Set<String> names, String what) {
        for (String n : NAMES) {
            if (names.contains(n) && a.containsKey(n)) {
                throw new UserError("input " + n + " does not apply to " + what);
            }
        }
    }

    /** The block size of the pattern's 'random from input' term, or 0. */
    private static int layoutBlock(MaskExpr e) {
        if (e instanceof MaskExpr.RandomLayout r) {
            return r.block();
        } else if (e instanceof MaskExpr.Union u) {
            return u.terms().stream().mapToInt(RunCommand::layoutBlock).max().orElse(0);
        } else if (e instanceof MaskExpr.Intersect i) {
            return Math.max(layoutBlock(i.left()), layoutBlock(i.right()));
        } else if (e instanceof MaskExpr.Difference d) {
            return Math.max(layoutBlock(d.left()), layoutBlock(d.right()));
        }
        return 0;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
