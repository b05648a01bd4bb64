package dev.attnc.compiler.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.attnc.compiler.ir.IntRange;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.Param;
import dev.attnc.compiler.ir.ParamOverride;
import dev.attnc.compiler.loops.GlobalItem;
import dev.attnc.compiler.loops.GlobalSlot;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.compiler.loops.KeyReads;
import dev.attnc.compiler.loops.KeysText;
import dev.attnc.compiler.loops.Operand;
import dev.attnc.compiler.loops.ParamSlot;
import dev.attnc.compiler.loops.RandomSlot;
import dev.attnc.runtime.kernel.ScoreMods;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A softmax pattern's host side as Java: the nested {@code Binding} class of a generated kernel
 * (a {@code PatternBinding}) with {@code bind} (parameter slots, global sets, random tables, row
 * stride), {@code cover} (the key segments of a row group, from {@link JavaKeys}), {@code maskTile}
 * (the pair test of partial chunks) and one {@code pK(layer, head)} method per parameter slot.
 * {@link JavaEmitter} places it in the kernel's file.
 */
final class JavaBindingEmitter {

    private static final String KERNEL = "dev.attnc.runtime.kernel";
    private static final ClassName PATTERN_BINDING = ClassName.get(KERNEL, "PatternBinding");
    private static final ClassName CONFIG = ClassName.get(KERNEL, "PatternBinding", "Config");
    private static final ClassName BINDING = ClassName.get(KERNEL, "HeadBinding");
    private static final ClassName COVER = ClassName.get(KERNEL, "KeyCover");
    private static final ClassName GLOBAL_SET = ClassName.get(KERNEL, "GlobalSet");
    private static final ClassName RANDOM_TABLE = ClassName.get(KERNEL, "RandomTable");
    private static final ClassName SEGMENT_RUNS = ClassName.get("dev.attnc.runtime", "SegmentRuns");
    private static final ClassName SCORE_MODS = ClassName.get(KERNEL, "ScoreMods");

    private JavaBindingEmitter() {}

    /** {@code public static final class Binding extends PatternBinding}: the pattern's host side. */
    static TypeSpec binding(KernelPlan.Softmax p) {
        TypeSpec.Builder t = TypeSpec.classBuilder("Binding")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .superclass(PATTERN_BINDING)
                .addJavadoc(
                        "The host side of {@code $L}: its sizes, bindings, covers and pair test, for the Java engine\n"
                                + "and the CUDA host code alike (loads neither javac nor the Vector API).\n",
                        p.pattern());
        // A pattern without kv_heads keeps the nine-argument Config (kv heads free).
        t.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addStatement(
                        "super(new $T(PATTERN, HEAD_DIM, SCALE, /* heads */ $L, /* layers */ $L, /* slots */ $L, "
                                + "/* global sets */ $L, /* random tables */ $L, /* layout block */ $L"
                                + (p.kvHeads() > 0 ? ", /* kv heads */ " + p.kvHeads() : "")
                                + "))",
                        CONFIG,
                        p.heads(),
                        p.layers(),
                        p.params().size(),
                        p.globals().size(),
                        p.randoms().size(),
                        p.layoutBlock())
                .build());
        t.addMethod(bind(p));
        t.addMethod(cover(p));
        t.addMethod(maskTile(p));
        for (ParamSlot slot : p.params()) {
            if (!slot.prefixInput()) {
                paramMethod(t, slot);
            }
        }
        if (!p.scoreMods().isNone()) {
            scoreMods(t, p.scoreMods());
        }
        return t.build();
    }

    /** {@code SCORE_MODS} and the {@code scoreMods()} that returns it (only for patterns that have some). */
    private static void scoreMods(TypeSpec.Builder t, ScoreMods m) {
        t.addField(FieldSpec.builder(SCORE_MODS, "SCORE_MODS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The score modifiers: $L.\n", IrPrinter.scoreMods(m))
                .initializer(
                        "new $T($L, /* softcap */ $L, /* alibi */ $L, $L)",
                        SCORE_MODS,
                        doubles(m.headScales()),
                        Double.toString(m.softcap()),
                        m.alibi(),
                        doubles(m.slopes()))
                .build());
        t.addMethod(MethodSpec.methodBuilder("scoreMods")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(SCORE_MODS)
                .addStatement("return SCORE_MODS")
                .build());
    }

    private static CodeBlock doubles(double[] values) {
        if (values == null) {
            return CodeBlock.of("null");
        }
        CodeBlock.Builder b = CodeBlock.builder().add("new double[] {");
        for (int x = 0; x < values.length; x++) {
            b.add(x > 0 ? ", $L" : "$L", Double.toString(values[x]));
        }
        return b.add("}").build();
    }

    private static MethodSpec bind(KernelPlan.Softmax p) {
        MethodSpec.Builder m = override("bind").addParameter(BINDING, "c");
        boolean usesN = !p.globals().isEmpty() || !p.randoms().isEmpty();
        boolean usesLayerHead = p.params().stream().anyMatch(s -> !s.prefixInput())
                || !p.randoms().isEmpty();
        boolean usesSegments = KeyReads.of(p.keys()).segments();
        if (usesN) {
            m.addStatement("int n = c.n");
        }
        if (usesLayerHead) {
            m.addStatement("int layer = c.layer");
            m.addStatement("int head = c.head");
        }
        if (p.params().isEmpty()
                && p.globals().isEmpty()
                && p.randoms().isEmpty()
                && p.dilations().isEmpty()
                && !usesSegments) {
            m.addCode("// nothing of this pattern depends on the layer, the head or the batch item\n");
        }
        for (ParamSlot s : p.params()) {
            if (s.prefixInput()) {
                m.addStatement("c.p[$L] = c.in.prefixLength(c.batch)", s.index());
            } else {
                m.addStatement("c.p[$L] = p$L(layer, head)", s.index(), s.index());
            }
        }
        for (GlobalSlot g : p.globals()) {
            m.addCode("// global set $L\n", g.index());
            m.addStatement(
                    "$T.Builder g$L = $T.builder(n)$L",
                    GLOBAL_SET,
                    g.index(),
                    GLOBAL_SET,
                    builderCalls(g.items(), "c.p"));
            if (g.items().stream().anyMatch(i -> i instanceof GlobalItem.Input)) {
                m.beginControlFlow("if (c.in.hasGlobalMask())")
                        .addStatement("g$L.mask(c.in.globalMask(), c.batch * n)", g.index())
                        .endControlFlow();
            }
            m.addStatement("c.g[$L] = g$L.build()", g.index(), g.index());
        }
        for (RandomSlot r : p.randoms()) {
            if (r instanceof RandomSlot.Seeded s) {
                m.addCode(
                        "// random blocks $L: seed $L, drawn outside the block windows and global blocks\n",
                        s.index(),
                        s.seed());
                CodeBlock windows = windows(s.windows());
                m.addStatement("int nb$L = (n + $L) / $L", s.index(), s.block() - 1, s.block());
                m.addStatement("int count$L = $L", s.index(), operand(s.count(), "c.p"));
                m.addStatement(
                        "c.r[$L] = randomTable($L, layer, head, n, () -> $T.seeded($LL, layer, head, n, $L, count$L, $L, "
                                + "$T.builder(nb$L)$L.build()))",
                        s.index(),
                        s.index(),
                        RANDOM_TABLE,
                        s.seed(),
                        s.block(),
                        s.index(),
                        windows,
                        GLOBAL_SET,
                        s.index(),
                        builderCalls(s.globalBlocks(), "c.p"));
            } else {
                RandomSlot.Layout l = (RandomSlot.Layout) r;
                m.addCode("// random blocks $L: the runtime layout [H, nQueryBlocks, r]\n", l.index());
                m.addStatement("int nb$L = (n + $L) / $L", l.index(), l.block() - 1, l.block());
                m.addStatement(
                        "c.r[$L] = $T.fromLayout(c.in.randomLayout(), head * nb$L * c.in.randomPerRow(), nb$L, "
                                + "c.in.randomPerRow())",
                        l.index(),
                        RANDOM_TABLE,
                        l.index(),
                        l.index());
            }
        }
        if (usesSegments) {
            m.addCode("// the segments of this batch item (built once per item, shared by its heads)\n");
            m.addStatement("c.seg = segments(c)");
        }
        if (!p.dilations().isEmpty()) {
            m.addCode("// rows of a group share one residue modulo every dilation\n");
            m.addStatement("c.rowStride = $L", rowStride(p.dilations()));
        }
        return m.build();
    }

    private static CodeBlock windows(List<Operand[]> windows) {
        CodeBlock.Builder b = CodeBlock.builder().add("new int[][] {");
        for (int k = 0; k < windows.size(); k++) {
            b.add(k > 0 ? ", " : "")
                    .add("{$L, $L}", operand(windows.get(k)[0], "c.p"), operand(windows.get(k)[1], "c.p"));
        }
        return b.add("}").build();
    }

    private static CodeBlock rowStride(List<Operand> dilations) {
        int constant = 1;
        List<Operand> slots = new ArrayList<>();
        for (Operand o : dilations) {
            if (o instanceof Operand.Const c) {
                constant = dev.attnc.runtime.kernel.HeadBinding.lcm(constant, c.value());
            } else {
                slots.add(o);
            }
        }
        CodeBlock e = CodeBlock.of("$L", constant);
        for (Operand o : slots) {
            e = constant == 1 && e.toString().equals("1")
                    ? CodeBlock.of("$L", operand(o, "c.p"))
                    : CodeBlock.of("$T.lcm($L, $L)", BINDING, e, operand(o, "c.p"));
        }
        return e;
    }

    private static CodeBlock builderCalls(List<GlobalItem> items, String slots) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (GlobalItem it : items) {
            if (it instanceof GlobalItem.Tokens t) {
                b.add(".tokens($LL, $LL)", t.from(), t.to());
            } else if (it instanceof GlobalItem.Blocks bl) {
                b.add(".blocks($L, $LL, $LL)", bl.block(), bl.from(), bl.to());
            } else if (it instanceof GlobalItem.First f) {
                b.add(".first($L, $L)", f.block(), operand(f.count(), slots));
            } else if (it instanceof GlobalItem.Last l) {
                b.add(".last($L, $L)", l.block(), operand(l.count(), slots));
            }
        }
        return b.build();
    }

    private static MethodSpec cover(KernelPlan.Softmax p) {
        MethodSpec.Builder m = override("cover")
                .returns(COVER)
                .addParameter(BINDING, "c")
                .addParameter(int.class, "first")
                .addParameter(int.class, "stride")
                .addParameter(int.class, "count");
        m.addStatement("int n = c.n");
        m.addCode(JavaKeys.cover(p.keys()));
        return m.build();
    }

    private static MethodSpec maskTile(KernelPlan.Softmax p) {
        MethodSpec.Builder m = override("maskTile")
                .addParameter(BINDING, "c")
                .addParameter(int.class, "first")
                .addParameter(int.class, "stride")
                .addParameter(int.class, "rowFrom")
                .addParameter(int.class, "rows")
                .addParameter(int[].class, "keys")
                .addParameter(int.class, "tFrom")
                .addParameter(int.class, "tTo")
                .addParameter(float[].class, "s")
                .addParameter(int.class, "ld");
        KeyReads reads = KeyReads.of(p.keys());
        if (KeyReads.readsLength(p.keys())) {
            m.addStatement("int n = c.n");
        }
        for (int s : reads.params()) {
            m.addStatement("int p$1L = c.p[$1L]", s);
        }
        for (int g : reads.globals()) {
            m.addStatement("$T g$L = c.g[$L]", GLOBAL_SET, g, g);
        }
        for (int r : reads.randoms()) {
            m.addStatement("$T r$L = c.r[$L]", RANDOM_TABLE, r, r);
        }
        if (reads.segments()) {
            m.addStatement("$T seg = c.seg", SEGMENT_RUNS);
        }
        m.beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int i = first + stride * (rowFrom + r)")
                .addStatement("int row = r * ld")
                .beginControlFlow("for (int t = tFrom; t < tTo; t++)")
                .addStatement("int j = keys[t]")
                .addCode("// $L\n", KeysText.describe(p.keys()))
                .beginControlFlow("if (!($L))", JavaKeys.mask(p.keys()))
                .addStatement("s[row + t] = Float.NEGATIVE_INFINITY")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return m.build();
    }

    private static CodeBlock operand(Operand o, String slots) {
        return o instanceof Operand.Slot s ? CodeBlock.of("$L[$L]", slots, s.index()) : CodeBlock.of("$L", o);
    }

    /** {@code private static int pK(int layer, int head)}: the slot's value at a layer and head. */
    private static void paramMethod(TypeSpec.Builder t, ParamSlot slot) {
        Param p = slot.param();
        MethodSpec.Builder m = MethodSpec.methodBuilder("p" + slot.index())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(int.class, "layer")
                .addParameter(int.class, "head")
                .addJavadoc("$L: $L.\n", slot.role(), JavaEmitter.javadocSafe(p.toString()));
        if (!p.perLayer().isEmpty() || !p.perHead().isEmpty()) {
            boolean perLayer = !p.perLayer().isEmpty();
            List<Integer> values = perLayer ? p.perLayer() : p.perHead();
            String field = "P" + slot.index() + (perLayer ? "_PER_LAYER" : "_PER_HEAD");
            t.addField(FieldSpec.builder(int[].class, field, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer(
                            "{$L}",
                            CodeBlock.join(
                                    values.stream()
                                            .map(v -> CodeBlock.of("$L", v))
                                            .toList(),
                                    ", "))
                    .build());
            m.addStatement("int v = pick($L, $L, $S)", field, perLayer ? "layer" : "head", perLayer ? "layer" : "head");
        } else {
            m.addStatement("int v = $L", p.base());
        }
        for (ParamOverride o : p.overrides()) {
            List<CodeBlock> conds = new ArrayList<>();
            if (!o.heads().isEmpty()) {
                conds.add(ranges("head", o.heads()));
            }
            if (!o.layers().isEmpty()) {
                conds.add(ranges("layer", o.layers()));
            }
            if (conds.isEmpty()) {
                m.addStatement("v = $L", o.value());
            } else {
                m.beginControlFlow("if ($L)", CodeBlock.join(conds, " && "))
                        .addStatement("v = $L", o.value())
                        .endControlFlow();
            }
        }
        m.addStatement("return v");
        t.addMethod(m.build());
    }

    /**
     * {@code var} in one of {@code rs}: {@code head == 2} alone, else in parentheses, a range
     * among others in its own: {@code (head == 0 || (head >= 4 && head <= 7))}.
     */
    private static CodeBlock ranges(String var, List<IntRange> rs) {
        if (rs.size() == 1 && rs.get(0).from() == rs.get(0).to()) {
            return CodeBlock.of("$L == $L", var, rs.get(0).from());
        }
        List<CodeBlock> parts = new ArrayList<>();
        for (IntRange r : rs) {
            CodeBlock range = CodeBlock.of("$1L >= $2L && $1L <= $3L", var, r.from(), r.to());
            parts.add(
                    r.from() == r.to()
                            ? CodeBlock.of("$L == $L", var, r.from())
                            : rs.size() > 1 ? CodeBlock.of("($L)", range) : range);
        }
        return CodeBlock.of("($L)", CodeBlock.join(parts, " || "));
    }

    // ---- additive -----------------------------------------------------------------------

    private static MethodSpec.Builder override(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PROTECTED);
    }
}
