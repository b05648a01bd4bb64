package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.AdditiveOption;
import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.GlobalItem;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.IntLit;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.Span;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the mask terms of one pattern, term by term:
 * <ul>
 *   <li>a pattern has at least one term (E025);</li>
 *   <li>windows: at most one {@code before} and one {@code after} side (E034), one unit
 *       (E035), an odd total width for a block window without a side (E033), dilation at
 *       least 1 (E031) and only on token windows (E036), and a warning above
 *       {@link #USEFUL_LENGTH} tokens on a side (W100);</li>
 *   <li>block terms (block windows, global blocks, first/last blocks, random blocks) need
 *       {@code block N} (E032);</li>
 *   <li>globals: counts at least 1 (E021), ranges in order (E039), {@code from input} once
 *       (E042), tokens listed twice (W101);</li>
 *   <li>random blocks: a count of at least 1 (E037), a seed (W103 when missing);</li>
 *   <li>additive pooling: options once each (E041), and alone in its pattern (E040);</li>
 *   <li>references: no additive pattern inside a mask (E040), and the same head and layer
 *       counts as the pattern that uses them (E024);</li>
 *   <li>{@code kv_heads G}: a divisor of the pattern's heads, its own or used (E070), and
 *       not with additive pooling (E071).</li>
 * </ul>
 */
final class TermCheck {

    /** 2^20 tokens: a window side longer than this is full attention on any real input. */
    static final long USEFUL_LENGTH = 1L << 20;

    private final CompilationUnit unit;
    private final PatternDecl decl;
    private final PatternSettings settings;
    private final Diagnostics diags;
    private final Map<PatternDecl, OptionalInt> headsMemo = new IdentityHashMap<>();
    private final Map<PatternDecl, OptionalInt> layersMemo = new IdentityHashMap<>();

    private TermCheck(CompilationUnit unit, PatternDecl decl, Diagnostics diags) {
        this.unit = unit;
        this.decl = decl;
        this.settings = PatternSettings.of(decl);
        this.diags = diags;
    }

    static void check(CompilationUnit unit, PatternDecl decl, Diagnostics diags) {
        new TermCheck(unit, decl, diags).run();
    }

    private void run() {
        kvHeads();
        if (decl.statements().isEmpty()) {
            diags.report(DiagCode.E025, decl.name().span(), decl.name().text());
            return;
        }
        checkAdditivePlacement();
        for (Expr e : AstWalk.preorder(decl.statements())) {
            if (e instanceof Expr.Window w) {
                window(w);
            } else if (e instanceof Expr.Global g) {
                global(g);
            } else if (e instanceof Expr.TokenSet t) {
                tokenSet(t);
            } else if (e instanceof Expr.Random r) {
                needBlock(r.span(), "random blocks are drawn in whole blocks");
                ValueCheck.check(r.count(), settings, diags, (x, d) -> atLeastOne(x, d, DiagCode.E037));
                if (r.seed().isEmpty()) {
                    diags.report(DiagCode.W103, r.span());
                }
            } else if (e instanceof Expr.RandomInput r) {
                needBlock(r.span(), "random blocks are drawn in whole blocks");
            } else if (e instanceof Expr.Additive a) {
                Set<AdditiveOption.Kind> seen = EnumSet.noneOf(AdditiveOption.Kind.class);
                for (AdditiveOption o : a.options()) {
                    if (!seen.add(o.kind())) {
                        diags.report(DiagCode.E041, o.span(), o.kind().name().toLowerCase(Locale.ROOT));
                    }
                }
            } else if (e instanceof Expr.Ref r) {
                reference(r);
            }
        }
    }

    /** {@code kv_heads G}: G divides the head count when there is one; never with additive pooling. */
    private void kvHeads() {
        Setting.KvHeads kv = decl.settings().stream()
                .filter(s -> s instanceof Setting.KvHeads)
                .map(s -> (Setting.KvHeads) s)
                .findFirst()
                .orElse(null);
        if (kv == null) {
            return;
        }
        if (AstWalk.preorder(decl.statements()).stream().anyMatch(e -> e instanceof Expr.Additive)) {
            diags.report(DiagCode.E071, kv.span());
            return;
        }
        long g = kv.value().value();
        OptionalInt heads = effective(decl, true);
        if (g >= 1 && heads.isPresent() && heads.getAsInt() >= 1 && heads.getAsInt() % g != 0) {
            int h = heads.getAsInt();
            diags.report(DiagCode.E070, kv.value().span(), g, h, divisors(h));
        }
    }

    /** The divisors of {@code h} in increasing order, {@code "1, 2, 4, 8"} (the first 12, then "…"). */
    private static String divisors(int h) {
        TreeSet<Integer> ds = new TreeSet<>();
        for (int x = 1; (long) x * x <= h; x++) {
            if (h % x == 0) {
                ds.add(x);
                ds.add(h / x);
            }
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int x : ds) {
            if (shown == 12) {
                return out.append(", …").toString();
            }
            out.append(shown++ == 0 ? "" : ", ").append(x);
        }
        return out.toString();
    }

    /** Additive pooling replaces softmax attention: it must be the pattern's only term. */
    private void checkAdditivePlacement() {
        List<Expr> all = AstWalk.preorder(decl.statements());
        boolean hasAdditive = all.stream().anyMatch(e -> e instanceof Expr.Additive);
        if (!hasAdditive) {
            return;
        }
        boolean alone = decl.statements().size() == 1 && decl.statements().get(0) instanceof Expr.Additive;
        if (!alone) {
            Expr other = all.stream()
                    .filter(e -> !(e instanceof Expr.Additive) && isTerm(e))
                    .findFirst()
                    .orElse(null);
            Expr additive = all.stream()
                    .filter(e -> e instanceof Expr.Additive)
                    .findFirst()
                    .orElseThrow();
            diags.report(
                    DiagCode.E040,
                    additive.span(),
                    other == null ? "another additive term" : "'" + describe(other) + "'");
        }
    }

    private void window(Expr.Window w) {
        List<Extent> xs = w.extents();
        boolean blocks = xs.get(0).blocks();
        if (xs.size() == 2) {
            Extent a = xs.get(0);
            Extent b = xs.get(1);
            boolean sides = (a.side() == Extent.Side.BEFORE && b.side() == Extent.Side.AFTER)
                    || (a.side() == Extent.Side.AFTER && b.side() == Extent.Side.BEFORE);
            if (!sides) {
                diags.report(DiagCode.E034, b.span());
            }
            if (a.blocks() != b.blocks()) {
                diags.report(DiagCode.E035, b.span());
            }
        }
        if (blocks) {
            needBlock(w.span(), "a block window counts whole blocks");
            if (w.dilation().isPresent()) {
                diags.report(DiagCode.E036, w.dilation().get().span());
            }
        }
        for (Extent x : xs) {
            boolean totalWidth = x.blocks() && x.side() == Extent.Side.UNSPECIFIED;
            ValueCheck.check(x.amount(), settings, diags, (v, d) -> {
                if (totalWidth && v.value() % 2 == 0) {
                    d.report(DiagCode.E033, v.span(), v.value());
                } else if (!x.blocks() && v.value() > USEFUL_LENGTH) {
                    d.report(DiagCode.W100, v.span(), v.value(), USEFUL_LENGTH);
                }
            });
        }
        w.dilation().ifPresent(v -> ValueCheck.check(v, settings, diags, (x, d) -> atLeastOne(x, d, DiagCode.E031)));
    }

    private void global(Expr.Global g) {
        boolean input = false;
        Map<Long, Span> tokens = new HashMap<>();
        for (GlobalItem item : g.items()) {
            if (item instanceof GlobalItem.FromInput f) {
                if (input) {
                    diags.report(DiagCode.E042, f.span(), "from input");
                }
                input = true;
            } else if (item instanceof GlobalItem.Tokens t) {
                ranges(t.indices(), "token", tokens);
            } else if (item instanceof GlobalItem.Blocks b) {
                needBlock(b.span(), "global blocks select whole blocks");
                ranges(b.indices(), "block", null);
            } else {
                firstOrLast(item);
            }
        }
    }

    /** A {@code first N} or {@code last N} item of a global, keys or queries set: blocks need a block size, N >= 1. */
    private void firstOrLast(GlobalItem item) {
        if (item instanceof GlobalItem.First f) {
            if (f.blocks()) {
                needBlock(f.span(), "'first … blocks' selects whole blocks");
            }
            ValueCheck.check(f.count(), settings, diags, (x, d) -> countAtLeastOne(x, d, "first"));
        } else if (item instanceof GlobalItem.Last l) {
            if (l.blocks()) {
                needBlock(l.span(), "'last … blocks' selects whole blocks");
            }
            ValueCheck.check(l.count(), settings, diags, (x, d) -> countAtLeastOne(x, d, "last"));
        }
    }

    /**
     * A {@code keys} or {@code queries} set: its items are checked as a global term's, with
     * messages naming the set ({@code from input} once, ranges not backwards, tokens once).
     */
    private void tokenSet(Expr.TokenSet t) {
        boolean input = false;
        Map<Long, Span> tokens = new HashMap<>();
        for (GlobalItem item : t.items()) {
            if (item instanceof GlobalItem.FromInput f) {
                if (input) {
                    diags.report(DiagCode.E043, f.span(), "from input", t.word());
                }
                input = true;
            } else if (item instanceof GlobalItem.Tokens tk) {
                setRanges(tk.indices(), "token", t.word(), tokens);
            } else if (item instanceof GlobalItem.Blocks b) {
                needBlock(b.span(), "'" + t.word() + " blocks [..]' selects whole blocks");
                setRanges(b.indices(), "block", t.word(), null);
            } else {
                firstOrLast(item);
            }
        }
    }

    /** {@link #ranges} for a keys or queries set: E044 for a backwards range, W107 for a repeat. */
    private void setRanges(List<IndexRange> rs, String unit, String word, Map<Long, Span> seen) {
        for (IndexRange r : rs) {
            boolean sameSign = (r.from() < 0) == (r.to() < 0);
            if (sameSign && r.from() > r.to()) {
                diags.report(DiagCode.E044, r.span(), word, unit, r);
                continue;
            }
            if (seen != null && sameSign && r.to() - r.from() < 100_000) {
                for (long t = r.from(); t <= r.to(); t++) {
                    if (seen.putIfAbsent(t, r.span()) != null) {
                        diags.report(DiagCode.W107, r.span(), Long.toString(t), word);
                        break;
                    }
                }
            }
        }
    }

    /** Ranges in order; with {@code seen}, each token index listed once (W101 for repeats). */
    private void ranges(List<IndexRange> rs, String unit, Map<Long, Span> seen) {
        for (IndexRange r : rs) {
            boolean sameSign = (r.from() < 0) == (r.to() < 0);
            if (sameSign && r.from() > r.to()) {
                diags.report(DiagCode.E039, r.span(), unit, r);
                continue;
            }
            if (seen != null && sameSign && r.to() - r.from() < 100_000) {
                for (long t = r.from(); t <= r.to(); t++) {
                    if (seen.putIfAbsent(t, r.span()) != null) {
                        diags.report(DiagCode.W101, r.span(), Long.toString(t));
                        break;
                    }
                }
            }
        }
    }

    private void reference(Expr.Ref r) {
        PatternDecl target = unit.lookup(r.name().text()).orElse(null);
        if (target == null) {
            return;
        }
        if (AstWalk.preorder(target.statements()).stream().anyMatch(e -> e instanceof Expr.Additive)) {
            diags.report(DiagCode.E040, r.span(), "'" + r.name().text() + "', an additive pattern, used as a mask");
            return;
        }
        conflict("heads", settings.heads(), effective(target, true), r);
        conflict("layers", settings.layers(), effective(target, false), r);
    }

    private void conflict(String what, OptionalInt mine, OptionalInt theirs, Expr.Ref r) {
        if (mine.isPresent() && theirs.isPresent() && mine.getAsInt() != theirs.getAsInt()) {
            diags.report(
                    DiagCode.E024, r.span(), what, mine.getAsInt(), r.name().text(), theirs.getAsInt());
        }
    }

    /**
     * The head (layer) count a pattern declares or takes from a pattern it uses (the first
     * found in pre-order). Memoised per pattern, so shared references (a chain of diamonds)
     * cost linear time; a pattern already on the path (a cycle, reported as E012) counts as
     * declaring nothing.
     */
    private OptionalInt effective(PatternDecl p, boolean heads) {
        Map<PatternDecl, OptionalInt> memo = heads ? headsMemo : layersMemo;
        OptionalInt known = memo.get(p);
        if (known != null) {
            return known;
        }
        PatternSettings s = PatternSettings.of(p);
        OptionalInt own = heads ? s.heads() : s.layers();
        memo.put(p, OptionalInt.empty());
        OptionalInt result = own;
        if (own.isEmpty()) {
            for (Expr e : AstWalk.preorder(p.statements())) {
                PatternDecl target =
                        e instanceof Expr.Ref r ? unit.lookup(r.name().text()).orElse(null) : null;
                if (target != null) {
                    OptionalInt v = effective(target, heads);
                    if (v.isPresent()) {
                        result = v;
                        break;
                    }
                }
            }
        }
        memo.put(p, result);
        return result;
    }

    private void needBlock(Span span, String what) {
        if (settings.block().isEmpty()) {
            diags.report(DiagCode.E032, span, what);
        }
    }

    /** Reports {@code code} (whose template takes the value) when {@code x < 1}. */
    private static void atLeastOne(IntLit x, Diagnostics d, DiagCode code) {
        if (x.value() < 1) {
            d.report(code, x.span(), x.value());
        }
    }

    private static void countAtLeastOne(IntLit x, Diagnostics d, String what) {
        if (x.value() < 1) {
            d.report(DiagCode.E021, x.span(), what, 1, x.value());
        }
    }

    private static boolean isTerm(Expr e) {
        return !(e instanceof Expr.Union || e instanceof Expr.Intersect || e instanceof Expr.Difference);
    }

    static String describe(Expr e) {
        if (e instanceof Expr.Window) {
            return "window";
        } else if (e instanceof Expr.Causal) {
            return "causal";
        } else if (e instanceof Expr.Full) {
            return "full";
        } else if (e instanceof Expr.Global) {
            return "global";
        } else if (e instanceof Expr.TokenSet t) {
            return t.word();
        } else if (e instanceof Expr.Random || e instanceof Expr.RandomInput) {
            return "random";
        } else if (e instanceof Expr.Segments) {
            return "segments";
        } else if (e instanceof Expr.Ref r) {
            return r.name().text();
        }
        return "additive";
    }
}
