package dev.attnc.compiler.exec;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.MaskBlocks;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.io.NpyArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns named arrays into validated kernel inputs for a pattern ({@link KernelInputs#bind}):
 * checks that the right inputs are present, that their shapes agree with each other and with
 * the pattern (head_dim, heads, block size of an explicit layout), and says what was expected.
 * Checks the kernel API's builders make as they build (element counts, the global projections
 * and the output transform given whole) are theirs alone.
 */
final class InputBinder {

    private final PatternIR p;
    private final RunOptions options;

    InputBinder(PatternIR p, RunOptions options) {
        this.p = p;
        this.options = options;
    }

    KernelInputs bind(Map<String, NpyArray> arrays) {
        options.check(p);
        Map<String, NamedArray> a = new LinkedHashMap<>();
        arrays.forEach((name, array) -> a.put(name, new NamedArray(name, array)));
        if (p.attention() instanceof Attention.Additive add) {
            if (options.layout().equals(Optional.of(TensorLayout.BHLD))) {
                throw new RunException(s ->
                        "additive patterns take token-major inputs [B, L, H*D]; drop " + s.option("layout") + " bhld");
            }
            return new KernelInputs.Additive(
                    p.name(), additive(add, a), a.get("q").shape());
        }
        return new KernelInputs.Softmax(p.name(), softmax(a), a.get("q").shape());
    }

    private AttentionInputs softmax(Map<String, NamedArray> a) {
        require(a, Set.of("q", "k", "v"), "softmax attention");
        refuse(a, Set.of("W_qa", "b_qa", "W_ka", "b_ka", "W_r", "b_r"), "a softmax pattern");
        NamedArray q = a.get("q");
        TensorLayout layout = options.layout().orElse(TensorLayout.BHLD);
        AttentionShape shape;
        int d = p.headDim();
        if (layout == TensorLayout.BHLD) {
            if (q.dims() != 4) {
                throw new RunException(
                        "input q: expected shape [B, H, L, " + d + "] for layout bhld, got " + q.shapeText());
            }
            shape = new AttentionShape(q.shape()[0], q.shape()[1], q.shape()[2], q.shape()[3]);
        } else if (q.dims() == 4) {
            // [B, L, H, D]: the same memory as [B, L, H*D], with the head count in the shape.
            int h = q.shape()[2];
            if (options.heads().isPresent() && options.heads().getAsInt() != h) {
                throw new RunException(
                        s -> "input q: shape " + q.shapeText() + " ([B, L, H, D]) has " + h + " heads, but "
                                + s.option("heads") + " is " + options.heads().getAsInt());
            }
            shape = new AttentionShape(q.shape()[0], h, q.shape()[1], q.shape()[3]);
        } else {
            int h = headCount();
            if (q.dims() != 3 || q.shape()[2] != h * d) {
                throw new RunException("input q: expected shape [B, L, " + h * d + "] (" + h + " heads × head_dim " + d
                        + ") or [B, L, " + h + ", " + d + "] for layout blhd, got " + q.shapeText());
            }
            shape = new AttentionShape(q.shape()[0], h, q.shape()[1], d);
        }
        if (shape.headDim() != d) {
            throw new RunException("input q: the last dimension is " + shape.headDim() + " but pattern " + p.name()
                    + " has head_dim " + d);
        }
        if (p.heads().isPresent() && p.heads().getAsInt() != shape.heads()) {
            throw new RunException("input q: " + shape.heads() + " heads, but pattern " + p.name() + " has heads "
                    + p.heads().getAsInt());
        }
        for (String name : List.of("qg", "kg", "vg")) {
            if (a.containsKey(name) && !PatternInputs.hasGlobalTerm(p)) {
                throw new RunException(
                        "input " + name + ": pattern " + p.name() + " has no 'global' term whose rows it would feed");
            }
        }
        if (a.containsKey("global_mask") && !PatternInputs.readsGlobalMask(p)) {
            throw new RunException(
                    "input global_mask: pattern " + p.name() + " has no 'global from input' term to use it");
        }
        if (a.containsKey("prefix_len") && !PatternInputs.readsPrefixLengths(p)) {
            throw new RunException("input prefix_len: pattern " + p.name()
                    + " has no 'keys from input' or 'queries from input' set to use it");
        }
        if (!a.containsKey("prefix_len") && PatternInputs.readsPrefixLengths(p)) {
            int batch = shape.batch();
            int length = shape.length();
            throw new RunException(s -> "input prefix_len is missing: pattern " + p.name()
                    + " has a 'keys from input' or 'queries from input' set; give " + s.input("prefix_len")
                    + " with shape [" + batch + "] (int32 or int64, one prefix length in 0.." + length
                    + " per batch item)");
        }
        boolean segments = PatternInputs.readsSegmentIds(p);
        if (a.containsKey("segment_ids") && !segments) {
            throw new RunException(
                    "input segment_ids: pattern " + p.name() + " has no 'segments from input' term to use it");
        }
        if (segments && !a.containsKey("segment_ids")) {
            throw new RunException(s -> "input segment_ids is missing: pattern " + p.name()
                    + " has 'segments from input'; give " + s.input("segment_ids") + " (int32 or int64, shape [B, L])");
        }
        shape = withKvHeads(shape, layout, q, a.get("k"));
        boolean grouped = shape.kvHeads() != shape.heads();
        if (a.containsKey("qg")) {
            a.get("qg").requireShape("the shape of q", q.shape());
        }
        for (String name : List.of("v", "kg", "vg")) {
            if (a.containsKey(name)) {
                a.get(name)
                        .requireShape(
                                grouped ? "the shape of k" : "the shape of q",
                                a.get("k").shape());
            }
        }
        AttentionInputs.Builder b = AttentionInputs.builder(shape, layout)
                .qkv(q.requireFloats(), a.get("k").requireFloats(), a.get("v").requireFloats())
                .layer(options.layer());
        // The builder checks that all three global projections or none are given.
        b.globalProjections(floatsOrNull(a, "qg"), floatsOrNull(a, "kg"), floatsOrNull(a, "vg"));
        if (a.containsKey("global_mask")) {
            b.globalMask(a.get("global_mask")
                    .requireShape("[B, L]", shape.batch(), shape.length())
                    .requireMask());
        }
        if (a.containsKey("key_valid")) {
            b.keyValid(keyValid(a.get("key_valid"), shape.batch(), shape.length()));
        }
        if (segments) {
            b.segmentIds(a.get("segment_ids")
                    .requireShape("[B, L]", shape.batch(), shape.length())
                    .requireInts());
        }
        if (a.containsKey("prefix_len")) {
            b.prefixLengths(prefixLengths(a.get("prefix_len"), shape.batch(), shape.length()));
        }
        int block = MaskBlocks.layout(p.mask());
        if (a.containsKey("layout") || block > 0) {
            RandomLayout random = RandomLayout.of(p.name(), block, a.get("layout"), shape);
            b.randomLayout(random.table(), block, random.perRow());
        }
        return b.build();
    }

    /**
     * {@code shape} with the kv head count G read from k (grouped-query attention): k is q's shape
     * with G heads in place of H ({@code [B, G, L, D]}, {@code [B, L, G, D]} or {@code [B, L, G·D]}),
     * G dividing H, and the pattern's {@code kv_heads} when it has one.
     */
    private AttentionShape withKvHeads(AttentionShape shape, TensorLayout layout, NamedArray q, NamedArray k) {
        int[] qs = q.shape();
        int[] ks = k.shape();
        int headAxis = layout == TensorLayout.BHLD ? 1 : 2;
        boolean sameOtherwise = ks.length == qs.length;
        for (int x = 0; sameOtherwise && x < qs.length; x++) {
            sameOtherwise = x == headAxis || ks[x] == qs[x];
        }
        int d = shape.headDim();
        int g = -1;
        if (sameOtherwise) {
            // [B, L, H·D]: the last axis holds G·D.
            boolean flat = layout == TensorLayout.BLHD && qs.length == 3;
            int given = ks[headAxis];
            g = !flat ? given : given % d == 0 ? given / d : -1;
        }
        OptionalInt declared = p.kvHeads();
        boolean fits = g >= 1 && shape.heads() % g == 0 && (declared.isEmpty() || declared.getAsInt() == g);
        if (!fits) {
            int[] want = qs.clone();
            int wantG = declared.orElse(shape.heads());
            boolean flat = layout == TensorLayout.BLHD && qs.length == 3;
            want[headAxis] = flat ? wantG * d : wantG;
            String[] generic = new String[qs.length];
            for (int x = 0; x < qs.length; x++) {
                generic[x] = x != headAxis ? Integer.toString(qs[x]) : flat ? "G*" + d : "G";
            }
            String what = declared.isPresent()
                    ? "q's shape with the pattern's kv_heads " + declared.getAsInt()
                    : shape.heads() == 1
                            ? "the shape of q"
                            : "the shape of q, or [" + String.join(", ", generic) + "] with G kv heads dividing "
                                    + shape.heads();
            k.requireShape(what, want);
        }
        return new AttentionShape(shape.batch(), shape.heads(), shape.length(), d, g);
    }

    private AdditiveInputs additive(Attention.Additive add, Map<String, NamedArray> a) {
        require(a, Set.of("q", "k", "W_qa", "W_ka"), "additive attention");
        refuse(
                a,
                Set.of("qg", "kg", "vg", "global_mask", "layout", "segment_ids", "prefix_len"),
                "an additive pattern");
        if (add.sharedValue() && a.containsKey("v")) {
            throw new RunException(s -> "input v: pattern " + p.name() + " shares the value with the query (v = q); "
                    + "drop " + s.input("v") + ", or write 'additive (value separate)' in the spec");
        }
        if (!add.sharedValue() && !a.containsKey("v")) {
            throw new RunException("input v is missing: pattern " + p.name() + " has a separate value");
        }
        int d = p.headDim();
        int h = headCount();
        NamedArray q = a.get("q");
        if (q.dims() != 3 || q.shape()[2] != h * d) {
            throw new RunException("input q: expected shape [B, L, " + h * d + "] (" + h + " heads × head_dim " + d
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
        float[] bq =
                a.containsKey("b_qa") ? a.get("b_qa").requireShape("[H]", h).requireFloats() : null;
        float[] bk =
                a.containsKey("b_ka") ? a.get("b_ka").requireShape("[H]", h).requireFloats() : null;
        AdditiveInputs.Builder b = AdditiveInputs.builder(new AttentionShape(batch, h, length, d))
                .qkv(
                        q.requireFloats(),
                        a.get("k").requireFloats(),
                        a.containsKey("v") ? a.get("v").requireFloats() : null);
        if (add.poolingMatrix()) {
            b.poolingMatrices(wq, bq, wk, bk);
        } else {
            b.poolingVectors(wq, bq, wk, bk);
        }
        // The builder checks that the output transform's matrix and bias come together.
        b.outputTransform(
                a.containsKey("W_r")
                        ? a.get("W_r").requireShape("[H*D, H*D]", e, e).requireFloats()
                        : null,
                a.containsKey("b_r") ? a.get("b_r").requireShape("[H*D]", e).requireFloats() : null);
        if (a.containsKey("key_valid")) {
            b.keyValid(keyValid(a.get("key_valid"), batch, length));
        }
        return b.build();
    }

    /**
     * The key padding mask: a [B, L] mask, or [B] lengths (int, or float holding whole numbers)
     * of which item b keeps keys 0..lengths[b]-1.
     */
    private static boolean[] keyValid(NamedArray kv, int batch, int length) {
        if (kv.dims() != 1) {
            if (kv.dims() != 2 || kv.shape()[0] != batch || kv.shape()[1] != length) {
                throw new RunException("input key_valid: expected shape [" + batch + ", " + length + "] ([B, L] mask) "
                        + "or [" + batch + "] ([B] lengths), got " + kv.shapeText());
            }
            return kv.requireMask();
        }
        if (kv.shape()[0] != batch) {
            throw new RunException("input key_valid: " + kv.shape()[0] + " lengths, but q has B = " + batch
                    + " items: expected shape [" + batch + "] ([B] lengths) or [" + batch + ", " + length
                    + "] ([B, L] mask)");
        }
        int[] lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            double x = switch (kv.array().dtype()) {
                case INT32 -> kv.array().ints()[i];
                case FLOAT32 -> kv.array().floats()[i];
                case BOOL ->
                    throw new RunException(
                            "input key_valid: [B] lengths hold whole numbers, got bool; a mask has shape [B, L]");
            };
            if (x != Math.rint(x) || x < 0 || x > length) {
                throw new RunException("input key_valid: length " + NamedArray.number(x) + " of item " + i
                        + " is not a whole number in 0.." + length);
            }
            lengths[i] = (int) x;
        }
        boolean[] m = new boolean[batch * length];
        for (int i = 0; i < batch; i++) {
            java.util.Arrays.fill(m, i * length, i * length + lengths[i], true);
        }
        return m;
    }

    /** The run-time prefix per batch item: int {@code [B]}, each in {@code 0..L}. */
    private static int[] prefixLengths(NamedArray pl, int batch, int length) {
        int[] lengths =
                pl.requireShape("[B], one prefix length per batch item", batch).requireInts();
        for (int i = 0; i < batch; i++) {
            if (lengths[i] < 0 || lengths[i] > length) {
                throw new RunException("input prefix_len: length " + lengths[i] + " of item " + i + " is outside 0.."
                        + length + " (the sequence length L)");
            }
        }
        return lengths;
    }

    private static float[] floatsOrNull(Map<String, NamedArray> a, String name) {
        return a.containsKey(name) ? a.get(name).requireFloats() : null;
    }

    /** The head count of token-major inputs: the heads option, else the pattern's. */
    private int headCount() {
        OptionalInt declared = p.heads();
        if (options.heads().isPresent()) {
            int heads = options.heads().getAsInt();
            if (heads < 1) {
                throw new RunException(s -> s.option("heads") + " must be at least 1, got " + heads);
            }
            if (declared.isPresent() && declared.getAsInt() != heads) {
                throw new RunException(s ->
                        s.option("heads") + " " + heads + " contradicts the pattern's heads " + declared.getAsInt());
            }
            return heads;
        }
        if (declared.isPresent()) {
            return declared.getAsInt();
        }
        throw new RunException(
                s -> "token-major inputs [B, L, H*D] need the head count: give " + s.option("heads") + " H");
    }

    private static void require(Map<String, NamedArray> a, Set<String> names, String what) {
        for (String n : List.of("q", "k", "v", "W_qa", "W_ka")) {
            if (names.contains(n) && !a.containsKey(n)) {
                throw new RunException(s -> "input " + n + " is missing: " + what + " needs " + s.input(n));
            }
        }
    }

    private static void refuse(Map<String, NamedArray> a, Set<String> names, String what) {
        for (String n : KernelInputs.NAMES) {
            if (names.contains(n) && a.containsKey(n)) {
                throw new RunException("input " + n + " does not apply to " + what);
            }
        }
    }
}
