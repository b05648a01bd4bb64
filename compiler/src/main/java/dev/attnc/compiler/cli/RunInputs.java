package dev.attnc.compiler.cli;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns {@code attnc run}'s named arrays into validated kernel inputs for a pattern: checks
 * that the right inputs are present, that their shapes agree with each other and with the
 * pattern (head_dim, heads, block size of an explicit layout), and says what was expected.
 */
final class RunInputs {

    private final TensorLayout layout;
    private final Integer heads;
    private final int layer;

    /** {@code heads} is the {@code --heads} option, or null. */
    RunInputs(TensorLayout layout, Integer heads, int layer) {
        this.layout = layout;
        this.heads = heads;
        this.layer = layer;
    }

    AttentionInputs softmax(PatternIR p, Map<String, InputArray> a) {
        require(a, Set.of("q", "k", "v"), "softmax attention");
        refuse(a, Set.of("W_qa", "b_qa", "W_ka", "b_ka", "W_r", "b_r"), "a softmax pattern");
        InputArray q = a.get("q");
        
        AttentionShape shape;
        int d = p.headDim();
        if (layout == TensorLayout.BHLD) {
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
                AttentionInputs.Builder b = AttentionInputs.builder(shape, layout)
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

    AdditiveInputs additive(PatternIR p, Attention.Additive add, Map<String, InputArray> a) {
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
        AdditiveInputs.Builder b = AdditiveInputs.builder(new AttentionShape(batch, h, length, d))
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
        for (String n : RunCommand.NAMES) {
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
            return u.terms().stream().mapToInt(RunInputs::layoutBlock).max().orElse(0);
        } else if (e instanceof MaskExpr.Intersect i) {
            return Math.max(layoutBlock(i.left()), layoutBlock(i.right()));
        } else if (e instanceof MaskExpr.Difference d) {
            return Math.max(layoutBlock(d.left()), layoutBlock(d.right()));
        }
        return 0;
    }

}
