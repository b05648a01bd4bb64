package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.AdditiveOption;
import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.GlobalItem;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.IntLit;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Scope;
import dev.attnc.compiler.ast.ScopedOverride;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.GlobalPart;
import dev.attnc.compiler.ir.IntRange;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.Param;
import dev.attnc.compiler.ir.ParamOverride;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.cuda.CudaDtype;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Front-end pass: AST to pattern IR. Requires a unit that passed {@link NameResolver} and
 * {@link PatternChecker} without errors. Guarantees: references are inlined (each pattern's
 * terms keep their own block size), statements are one flattened union, windows have
 * explicit before/after/dilation parameters with the pattern's scoped overrides applied,
 * and every random term lists the block-level window and global terms it must avoid.
 */
public final class IrBuilder {

    private final CompilationUnit unit;
    private final Map<String, MaskExpr> masks = new HashMap<>();
    private final Map<String, OptionalInt> inheritedHeads = new HashMap<>();
    private final Map<String, OptionalInt> inheritedLayers = new HashMap<>();

    private IrBuilder(CompilationUnit unit) {
        this.unit = unit;
    }

    /** The IR of every pattern of the root file, in source order. */
    public static List<PatternIR> build(CompilationUnit unit) {
        IrBuilder b = new IrBuilder(unit);
        List<PatternIR> out = new ArrayList<>();
        for (PatternDecl p : unit.root().patterns()) {
            out.add(b.pattern(p));
        }
        return out;
    }

    private PatternIR pattern(PatternDecl p) {
        PatternSettings s = PatternSettings.of(p);
        List<CudaDtype> dtypes = s.dtypes()
                .map(ids -> ids.stream()
                        .map(id -> CudaDtype.parse(id.text()).orElseThrow())
                        .distinct()
                        .toList())
                .orElse(List.of(CudaDtype.F32));
        Attention attention = additive(p);
        if (attention == null) {
            attention = new Attention.Softmax(mask(p));
        }
        OptionalInt heads = s.heads().isPresent() ? s.heads() : inherited(p, true);
        OptionalInt layers = s.layers().isPresent() ? s.layers() : inherited(p, false);
        return new PatternIR(
                p.name().text(),
                s.headDim().orElseThrow(),
                heads,
                s.kvHeads(),
                layers,
                s.scale(),
                dtypes,
                attention,
                p.name().span().location(),
                declarationText(p),
                PatternSettings.scoreMods(p));
    }

    /**
     * A pattern that sets no head (layer) count takes the one of a pattern it uses (the first
     * found in pre-order). Memoised per pattern: shared references cost linear time.
     */
    private OptionalInt inherited(PatternDecl p, boolean heads) {
        Map<String, OptionalInt> memo = heads ? inheritedHeads : inheritedLayers;
        OptionalInt known = memo.get(p.name().text());
        if (known != null) {
            return known;
        }
        OptionalInt result = OptionalInt.empty();
        for (Expr e : AstWalk.preorder(p.statements())) {
            if (e instanceof Expr.Ref r) {
                PatternDecl target = unit.lookup(r.name().text()).orElseThrow();
                PatternSettings ts = PatternSettings.of(target);
                OptionalInt v = heads ? ts.heads() : ts.layers();
                if (v.isEmpty()) {
                    v = inherited(target, heads);
                }
                if (v.isPresent()) {
                    result = v;
                    break;
                }
            }
        }
        memo.put(p.name().text(), result);
        return result;
    }

    private static Attention additive(PatternDecl p) {
        for (Expr e : p.statements()) {
            if (e instanceof Expr.Additive a) {
                boolean shared = true;
                boolean matrix = true;
                for (AdditiveOption o : a.options()) {
                    if (o.kind() == AdditiveOption.Kind.VALUE) {
                        shared = o.choice().equals("shared");
                    } else {
                        matrix = o.choice().equals("matrix");
                    }
                }
                return new Attention.Additive(shared, matrix);
            }
        }
        return null;
    }

    /** The whole mask of a pattern, built once and reused by every pattern that refers to it. */
    private MaskExpr mask(PatternDecl p) {
        MaskExpr cached = masks.get(p.name().text());
        if (cached != null) {
            return cached;
        }
        int block = PatternSettings.of(p).block().orElse(0);
        Terms terms = new Terms(p, block);
        List<MaskExpr> parts = new ArrayList<>();
        for (Expr st : p.statements()) {
            parts.add(terms.expr(st));
        }
        MaskExpr m = union(parts);
        m = RandomExclusions.apply(m, terms.ownRandom);
        masks.put(p.name().text(), m);
        return m;
    }

    /** Builds the terms of one declaration: its block size and its scoped overrides. */
    private final class Terms {
        private final PatternDecl decl;
        private final int block;
        /** The random terms this declaration writes itself (by identity: equal terms may come from a reference). */
        private final Set<MaskExpr> ownRandom = Collections.newSetFromMap(new IdentityHashMap<>());

        Terms(PatternDecl decl, int block) {
            this.decl = decl;
            this.block = block;
        }

        MaskExpr expr(Expr e) {
            if (e instanceof Expr.Union) {
                // Flatten the left-deep chain first: rebuilding the union at every level is quadratic.
                List<Expr> operands = new ArrayList<>();
                Deque<Expr> stack = new ArrayDeque<>();
                stack.push(e);
                while (!stack.isEmpty()) {
                    Expr x = stack.pop();
                    if (x instanceof Expr.Union xu) {
                        stack.push(xu.right());
                        stack.push(xu.left());
                    } else {
                        operands.add(x);
                    }
                }
                List<MaskExpr> built = new ArrayList<>(operands.size());
                for (Expr x : operands) {
                    built.add(expr(x));
                }
                return union(built);
            } else if (e instanceof Expr.Intersect i) {
                return new MaskExpr.Intersect(expr(i.left()), expr(i.right()));
            } else if (e instanceof Expr.Difference d) {
                return new MaskExpr.Difference(expr(d.left()), expr(d.right()));
            } else if (e instanceof Expr.Window w) {
                return window(w);
            } else if (e instanceof Expr.Causal) {
                return new MaskExpr.Causal();
            } else if (e instanceof Expr.Full) {
                return new MaskExpr.Full();
            } else if (e instanceof Expr.Global g) {
                return new MaskExpr.Global(
                        g.items().stream().flatMap(i -> globalParts(i).stream()).toList());
            } else if (e instanceof Expr.TokenSet t) {
                return new MaskExpr.TokenSet(
                        t.queries(),
                        t.items().stream().flatMap(i -> globalParts(i).stream()).toList());
            } else if (e instanceof Expr.Random r) {
                Param count = param(r.count(), v -> v);
                for (ScopedOverride o : decl.overrides()) {
                    if (o instanceof ScopedOverride.Random ro) {
                        count = count.withOverride(
                                override(ro.scope(), ro.value().intValue()));
                    }
                }
                MaskExpr.RandomBlocks node = new MaskExpr.RandomBlocks(
                        block, count, r.seed().map(IntLit::value).orElse(0L), List.of(), List.of());
                ownRandom.add(node);
                return node;
            } else if (e instanceof Expr.RandomInput) {
                return new MaskExpr.RandomLayout(block);
            } else if (e instanceof Expr.Segments) {
                return new MaskExpr.Segments();
            } else if (e instanceof Expr.Ref r) {
                return mask(unit.lookup(r.name().text()).orElseThrow());
            }
            throw new IllegalStateException("not a mask term: " + e);
        }

        private MaskExpr window(Expr.Window w) {
            boolean blocks = w.extents().get(0).blocks();
            Sides sides = sides(w.extents());
            Param before = sides.before;
            Param after = sides.after;
            Param dilation = w.dilation().map(v -> param(v, x -> x)).orElse(Param.of(1));
            for (ScopedOverride o : decl.overrides()) {
                if (o instanceof ScopedOverride.Window wo) {
                    // Sides the override names change; a side it does not name keeps its value.
                    Sides s = sides(wo.extents());
                    boolean onlyAfter = wo.extents().stream().allMatch(x -> x.side() == Extent.Side.AFTER);
                    boolean onlyBefore = wo.extents().stream().allMatch(x -> x.side() == Extent.Side.BEFORE);
                    if (!onlyAfter) {
                        before = before.withOverride(override(wo.scope(), s.before.base()));
                    }
                    if (!onlyBefore) {
                        after = after.withOverride(override(wo.scope(), s.after.base()));
                    }
                } else if (o instanceof ScopedOverride.Dilation d) {
                    dilation =
                            dilation.withOverride(override(d.scope(), d.value().intValue()));
                }
            }
            return blocks
                    ? new MaskExpr.BlockWindow(block, before, after)
                    : new MaskExpr.Window(before, after, dilation);
        }

        private List<GlobalPart> globalParts(GlobalItem item) {
            if (item instanceof GlobalItem.Tokens t) {
                return t.indices().stream()
                        .map(r -> (GlobalPart) new GlobalPart.Tokens(r.from(), r.to()))
                        .toList();
            } else if (item instanceof GlobalItem.Blocks b) {
                return b.indices().stream()
                        .map(r -> (GlobalPart) new GlobalPart.Blocks(block, r.from(), r.to()))
                        .toList();
            } else if (item instanceof GlobalItem.First f) {
                return List.of(new GlobalPart.First(f.blocks() ? block : 0, param(f.count(), x -> x)));
            } else if (item instanceof GlobalItem.Last l) {
                return List.of(new GlobalPart.Last(l.blocks() ? block : 0, param(l.count(), x -> x)));
            }
            return List.of(new GlobalPart.FromInput());
        }
    }

    private record Sides(Param before, Param after) {}

    /** Extents to (before, after): "N" each side for tokens, a total odd width for blocks. */
    private static Sides sides(List<Extent> extents) {
        Param before = Param.of(0);
        Param after = Param.of(0);
        for (Extent x : extents) {
            switch (x.side()) {
                case BEFORE -> before = param(x.amount(), v -> v);
                case AFTER -> after = param(x.amount(), v -> v);
                case EACH -> {
                    before = param(x.amount(), v -> v);
                    after = before;
                }
                case UNSPECIFIED -> {
                    before = param(x.amount(), v -> x.blocks() ? (v - 1) / 2 : v);
                    after = before;
                }
            }
        }
        return new Sides(before, after);
    }

    private static Param param(Value v, IntUnaryOperator f) {
        if (v instanceof Value.Const c) {
            return Param.of(f.applyAsInt(c.value().intValue()));
        } else if (v instanceof Value.PerLayer l) {
            return Param.perLayer(
                    l.values().stream().map(x -> f.applyAsInt(x.intValue())).toList());
        }
        Value.PerHead h = (Value.PerHead) v;
        return Param.perHead(
                h.values().stream().map(x -> f.applyAsInt(x.intValue())).toList());
    }

    private static ParamOverride override(Scope scope, int value) {
        return new ParamOverride(ranges(scope.heads()), ranges(scope.layers()), value);
    }

    private static List<IntRange> ranges(List<IndexRange> rs) {
        return rs.stream().map(r -> new IntRange((int) r.from(), (int) r.to())).toList();
    }

    /** A flattened union, or the single term. */
    static MaskExpr union(List<MaskExpr> parts) {
        List<MaskExpr> flat = new ArrayList<>();
        for (MaskExpr m : parts) {
            if (m instanceof MaskExpr.Union u) {
                flat.addAll(u.terms());
            } else {
                flat.add(m);
            }
        }
        return flat.size() == 1 ? flat.get(0) : new MaskExpr.Union(flat);
    }

    /** The declaration as written, from {@code pattern} to its closing brace, for comments in generated code. */
    private static String declarationText(PatternDecl p) {
        String text = p.span().file().text();
        int line = 1;
        int offset = 0;
        while (line < p.span().line() && offset < text.length()) {
            if (text.charAt(offset++) == '\n') {
                line++;
            }
        }
        int start = Math.min(text.length(), offset + p.span().column() - 1);
        int depth = 0;
        int end = start;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol; // braces in comments do not count
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? text.length() : close + 1;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                end = i + 1;
                break;
            }
        }
        return text.substring(start, Math.max(start, end));
    }
}
