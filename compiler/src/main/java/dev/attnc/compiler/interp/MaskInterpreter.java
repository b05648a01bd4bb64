package dev.attnc.compiler.interp;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.GlobalItem;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.ScopedOverride;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.runtime.RandomBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * The semantic oracle: evaluates a pattern's <em>AST</em> straight to a dense mask, from
 * the rules of docs/DESIGN.md §3 and docs/LANGUAGE.md, for small {@code n}. It shares nothing with
 * the IR builder or the analysis (it resolves references and scoped overrides itself) so
 * that tests comparing them with it test something. Simple loops, obviously correct, slow.
 *
 * <p>Requires a unit that passed the front end's checks without errors.
 */
public final class MaskInterpreter {

    /** Larger dense masks are refused: {@code n²} bytes of memory. */
    public static final int MAX_N = 8192;

    /**
     * Larger row-at-a-time masks are refused: {@link #rows} needs {@code O(n)} memory, but its
     * readers visit {@code n²} pairs.
     */
    public static final int ROWS_MAX_N = 65536;

    private final CompilationUnit unit;
    private final MaskBindings in;
    private final int n;
    /** Rows in the set of any global term of the pattern: they use the global projections. */
    private final boolean[] globalRows;

    private MaskInterpreter(CompilationUnit unit, MaskBindings in) {
        this.unit = unit;
        this.in = in;
        this.n = in.n();
        this.globalRows = new boolean[in.n()];
    }

    /** The mask of pattern {@code name} of {@code unit} under {@code in}. */
    public static DenseMask evaluate(CompilationUnit unit, String name, MaskBindings in) {
        if (in.n() > MAX_N) {
            throw new IllegalArgumentException(
                    "the interpreter builds n×n masks; n = " + in.n() + " is above " + MAX_N);
        }
        PatternDecl decl = unit.lookup(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no pattern '" + name + "' in " + unit.root().source().name()));
        MaskInterpreter it = new MaskInterpreter(unit, in);
        Row root = it.pattern(decl);
        byte[][] kinds = new byte[in.n()][];
        int[] row = new int[in.n()];
        for (int i = 0; i < in.n(); i++) {
            root.eval(i, row);
            byte[] out = new byte[in.n()];
            for (int j = 0; j < in.n(); j++) {
                out[j] = (byte) row[j];
            }
            kinds[i] = out;
        }
        return new DenseMask(kinds, it.globalRows);
    }

    /**
     * The mask of pattern {@code name} of {@code unit} under {@code in}, evaluated row by row
     * as it is read ({@code n} up to {@link #ROWS_MAX_N}); the same pairs and kinds as
     * {@link #evaluate}.
     */
    public static MaskRows rows(CompilationUnit unit, String name, MaskBindings in) {
        if (in.n() > ROWS_MAX_N) {
            throw new IllegalArgumentException(
                    "the interpreter reads masks row by row up to n = " + ROWS_MAX_N + "; n = " + in.n());
        }
        PatternDecl decl = unit.lookup(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no pattern '" + name + "' in " + unit.root().source().name()));
        Row root = new MaskInterpreter(unit, in).pattern(decl);
        return new MaskRows(in.n(), (out, i) -> root.eval(i, out));
    }

    /** Fills {@code out[j]} with the kind bits of pair (i, j), 0 when not attended. */
    private interface Row {
        void eval(int i, int[] out);
    }

    // ---- patterns and set algebra ------------------------------------------------------

    private Row pattern(PatternDecl d) {
        for (Expr e : d.statements()) {
            if (e instanceof Expr.Additive) {
                throw new IllegalArgumentException(
                        "pattern '" + d.name().text() + "' is additive attention and has no mask");
            }
        }
        List<Row> parts = new ArrayList<>();
        for (Expr e : d.statements()) {
            parts.add(expr(e, d));
        }
        return union(parts);
    }

    private Row union(List<Row> parts) {
        int[] tmp = new int[n];
        return (i, out) -> {
            Arrays.fill(out, 0);
            for (Row p : parts) {
                p.eval(i, tmp);
                for (int j = 0; j < n; j++) {
                    out[j] |= tmp[j];
                }
            }
        };
    }

    /** Row {@code i} of {@code l} and of {@code r}, merged pair by pair with {@code op}. */
    private Row combine(Row l, Row r, IntBinaryOperator op) {
        int[] tmp = new int[n];
        return (i, out) -> {
            l.eval(i, out);
            r.eval(i, tmp);
            for (int j = 0; j < n; j++) {
                out[j] = op.applyAsInt(out[j], tmp[j]);
            }
        };
    }

    private Row expr(Expr e, PatternDecl d) {
        if (e instanceof Expr.Union u) {
            return union(List.of(expr(u.left(), d), expr(u.right(), d)));
        } else if (e instanceof Expr.Intersect x) {
            // A pair in both keeps the kinds of both (for the picture).
            return combine(expr(x.left(), d), expr(x.right(), d), (a, b) -> a != 0 && b != 0 ? a | b : 0);
        } else if (e instanceof Expr.Difference x) {
            return combine(expr(x.left(), d), expr(x.right(), d), (a, b) -> b != 0 ? 0 : a);
        } else if (e instanceof Expr.Ref r) {
            return pattern(unit.lookup(r.name().text()).orElseThrow());
        } else if (e instanceof Expr.Causal) {
            return pred(MaskKind.CAUSAL, (i, j) -> j <= i);
        } else if (e instanceof Expr.Full) {
            return pred(MaskKind.FULL, (i, j) -> true);
        } else if (e instanceof Expr.Window w) {
            return window(w, d);
        } else if (e instanceof Expr.Global g) {
            boolean[] set = globalSet(g.items(), AstValues.block(d), false);
            for (int t = 0; t < n; t++) {
                globalRows[t] |= set[t];
            }
            return pred(MaskKind.GLOBAL, (i, j) -> set[i] || set[j]);
        } else if (e instanceof Expr.TokenSet t) {
            // Not global rows: a queries set's rows use the ordinary projections.
            boolean[] set = globalSet(t.items(), AstValues.block(d), true);
            return t.queries()
                    ? pred(MaskKind.TOKEN_SET, (i, j) -> set[i])
                    : pred(MaskKind.TOKEN_SET, (i, j) -> set[j]);
        } else if (e instanceof Expr.Random r) {
            return random(r, d);
        } else if (e instanceof Expr.RandomInput) {
            return randomLayout(AstValues.block(d));
        } else if (e instanceof Expr.Segments) {
            // Same id, wherever the tokens are; no ids given means one segment.
            int[] seg = in.segmentIds();
            return pred(MaskKind.SEGMENTS, (i, j) -> seg == null || seg[i] == seg[j]);
        }
        throw new IllegalArgumentException("no mask for " + e);
    }

    private interface Pred {
        boolean test(int i, int j);
    }

    private Row pred(MaskKind kind, Pred p) {
        int bit = kind.bit();
        return (i, out) -> {
            for (int j = 0; j < n; j++) {
                out[j] = p.test(i, j) ? bit : 0;
            }
        };
    }

    // ---- windows -----------------------------------------------------------------------

    private Row window(Expr.Window w, PatternDecl d) {
        int layer = in.layer();
        int head = in.head();
        int[] sides = {0, 0};
        AstValues.applyExtents(w.extents(), sides, layer, head);
        int dilation = w.dilation().map(v -> AstValues.value(v, layer, head)).orElse(1);
        for (ScopedOverride o : d.overrides()) {
            if (!AstValues.applies(o.scope(), layer, head)) {
                continue;
            }
            if (o instanceof ScopedOverride.Window wo) {
                AstValues.applyExtents(wo.extents(), sides, layer, head);
            } else if (o instanceof ScopedOverride.Dilation dl) {
                dilation = dl.value().intValue();
            }
        }
        int before = sides[0];
        int after = sides[1];
        if (w.extents().get(0).blocks()) {
            int b = AstValues.block(d);
            return pred(MaskKind.BLOCK_WINDOW, (i, j) -> j / b >= i / b - before && j / b <= i / b + after);
        }
        int dil = dilation;
        return pred(MaskKind.WINDOW, (i, j) -> {
            int diff = j - i;
            return diff % dil == 0 && diff / dil >= -before && diff / dil <= after;
        });
    }

    // ---- globals -----------------------------------------------------------------------

    /**
     * The tokens of a global term's items, or of a keys/queries set's ({@code prefix}: its
     * {@code from input} is the run-time prefix {@code 0 .. prefixLength - 1}).
     */
    private boolean[] globalSet(List<GlobalItem> items, int block, boolean prefix) {
        boolean[] set = new boolean[n];
        int nb = block > 0 ? (n + block - 1) / block : 0;
        for (GlobalItem item : items) {
            if (item instanceof GlobalItem.Tokens t) {
                for (IndexRange r : t.indices()) {
                    mark(set, AstValues.resolve(r.from(), n), AstValues.resolve(r.to(), n) + 1);
                }
            } else if (item instanceof GlobalItem.Blocks b) {
                for (IndexRange r : b.indices()) {
                    long fromBlock = AstValues.resolve(r.from(), nb);
                    long toBlock = AstValues.resolve(r.to(), nb);
                    for (long kb = Math.max(0, fromBlock); kb <= toBlock && kb < nb; kb++) {
                        mark(set, kb * block, (kb + 1) * block);
                    }
                }
            } else if (item instanceof GlobalItem.First f) {
                long k = AstValues.value(f.count(), in.layer(), in.head());
                mark(set, 0, f.blocks() ? k * block : k);
            } else if (item instanceof GlobalItem.Last l) {
                long k = AstValues.value(l.count(), in.layer(), in.head());
                mark(set, l.blocks() ? (nb - k) * (long) block : n - k, n);
            } else if (item instanceof GlobalItem.FromInput && prefix) {
                mark(set, 0, in.prefixLength());
            } else if (item instanceof GlobalItem.FromInput) {
                for (int t : in.globalTokens()) {
                    if (t >= 0 && t < n) {
                        set[t] = true;
                    }
                }
            }
        }
        return set;
    }

    private void mark(boolean[] set, long from, long to) {
        for (long t = Math.max(0, from); t < to && t < n; t++) {
            set[(int) t] = true;
        }
    }

    // ---- random blocks -----------------------------------------------------------------

    private Row random(Expr.Random r, PatternDecl d) {
        int b = AstValues.block(d);
        int nb = (n + b - 1) / b;
        int layer = in.layer();
        int head = in.head();
        int count = AstValues.value(r.count(), layer, head);
        for (ScopedOverride o : d.overrides()) {
            if (o instanceof ScopedOverride.Random ro && AstValues.applies(ro.scope(), layer, head)) {
                count = ro.value().intValue();
            }
        }
        // What the declaring pattern already attends by whole blocks: its block windows and
        // block-level globals (with this block size), through the patterns it uses.
        List<int[]> windows = new ArrayList<>();
        boolean[] globalBlocks = new boolean[nb];
        collectBlockTerms(d, b, windows, globalBlocks);
        long seed = r.seed().map(s -> s.value()).orElse(0L);
        boolean[][] chosen = new boolean[nb][];
        for (int qb = 0; qb < nb; qb++) {
            chosen[qb] = new boolean[nb];
            if (globalBlocks[qb]) {
                continue;
            }
            int q = qb;
            int[] picks = RandomBlocks.choose(seed, layer, head, qb, nb, count, kb -> {
                if (globalBlocks[kb]) {
                    return true;
                }
                for (int[] w : windows) {
                    if (kb >= q - w[0] && kb <= q + w[1]) {
                        return true;
                    }
                }
                return false;
            });
            for (int kb : picks) {
                chosen[qb][kb] = true;
            }
        }
        return pred(MaskKind.RANDOM, (i, j) -> chosen[i / b][j / b]);
    }

    private void collectBlockTerms(PatternDecl d, int block, List<int[]> windows, boolean[] globalBlocks) {
        if (AstValues.block(d) != block) {
            // Terms of a used pattern with another block size never cover blocks of this one.
            collectRefsOnly(d, block, windows, globalBlocks);
            return;
        }
        for (Expr st : d.statements()) {
            collect(st, d, block, windows, globalBlocks);
        }
    }

    private void collectRefsOnly(PatternDecl d, int block, List<int[]> windows, boolean[] globalBlocks) {
        for (Expr st : d.statements()) {
            collectRefs(st, block, windows, globalBlocks);
        }
    }

    private void collectRefs(Expr e, int block, List<int[]> windows, boolean[] globalBlocks) {
        if (e instanceof Expr.Union u) {
            collectRefs(u.left(), block, windows, globalBlocks);
            collectRefs(u.right(), block, windows, globalBlocks);
        } else if (e instanceof Expr.Intersect x) {
            collectRefs(x.left(), block, windows, globalBlocks);
            collectRefs(x.right(), block, windows, globalBlocks);
        } else if (e instanceof Expr.Difference x) {
            collectRefs(x.left(), block, windows, globalBlocks);
        } else if (e instanceof Expr.Ref r) {
            collectBlockTerms(unit.lookup(r.name().text()).orElseThrow(), block, windows, globalBlocks);
        }
    }

    private void collect(Expr e, PatternDecl d, int block, List<int[]> windows, boolean[] globalBlocks) {
        if (e instanceof Expr.Union u) {
            collect(u.left(), d, block, windows, globalBlocks);
            collect(u.right(), d, block, windows, globalBlocks);
        } else if (e instanceof Expr.Intersect x) {
            collect(x.left(), d, block, windows, globalBlocks);
            collect(x.right(), d, block, windows, globalBlocks);
        } else if (e instanceof Expr.Difference x) {
            collect(x.left(), d, block, windows, globalBlocks);
        } else if (e instanceof Expr.Ref r) {
            collectBlockTerms(unit.lookup(r.name().text()).orElseThrow(), block, windows, globalBlocks);
        } else if (e instanceof Expr.Window w && w.extents().get(0).blocks()) {
            int[] sides = {0, 0};
            AstValues.applyExtents(w.extents(), sides, in.layer(), in.head());
            for (ScopedOverride o : d.overrides()) {
                if (o instanceof ScopedOverride.Window wo && AstValues.applies(o.scope(), in.layer(), in.head())) {
                    AstValues.applyExtents(wo.extents(), sides, in.layer(), in.head());
                }
            }
            windows.add(sides);
        } else if (e instanceof Expr.Global g) {
            int nb = globalBlocks.length;
            for (GlobalItem item : g.items()) {
                if (item instanceof GlobalItem.Blocks bl) {
                    for (IndexRange r : bl.indices()) {
                        for (long kb = Math.max(0, AstValues.resolve(r.from(), nb));
                                kb <= AstValues.resolve(r.to(), nb) && kb < nb;
                                kb++) {
                            globalBlocks[(int) kb] = true;
                        }
                    }
                } else if (item instanceof GlobalItem.First f && f.blocks()) {
                    int k = AstValues.value(f.count(), in.layer(), in.head());
                    for (int kb = 0; kb < k && kb < nb; kb++) {
                        globalBlocks[kb] = true;
                    }
                } else if (item instanceof GlobalItem.Last l && l.blocks()) {
                    int k = AstValues.value(l.count(), in.layer(), in.head());
                    for (int kb = Math.max(0, nb - k); kb < nb; kb++) {
                        globalBlocks[kb] = true;
                    }
                }
            }
        }
    }

    private Row randomLayout(int b) {
        int nb = (n + b - 1) / b;
        boolean[][] chosen = new boolean[nb][nb];
        int[][] layout = in.layout();
        if (layout != null) {
            for (int qb = 0; qb < nb && qb < layout.length; qb++) {
                for (int kb : layout[qb]) {
                    if (kb >= 0 && kb < nb) {
                        chosen[qb][kb] = true;
                    }
                }
            }
        }
        return pred(MaskKind.RANDOM, (i, j) -> chosen[i / b][j / b]);
    }
}
