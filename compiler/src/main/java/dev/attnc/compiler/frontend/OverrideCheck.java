package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.ScopedOverride;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import java.util.List;
import java.util.OptionalInt;

/**
 * Checks scoped overrides ({@code dilation 2 on heads 8..11}, {@code window 512 in layers 6..11},
 * {@code random 2 blocks in layers 0..3}):
 * <ul>
 *   <li>the scope names only counts the pattern declares (E057), indices in range (E052),
 *       ranges in order (E053);</li>
 *   <li>the pattern has exactly one term of its own to change (E054, E055); overrides
 *       never reach into patterns it uses;</li>
 *   <li>single numbers (E056), the target window's unit (E035), dilation only on token
 *       windows (E036), dilation and random counts at least 1 (E031, E037), the same side
 *       rules as a window term (E034, E033).</li>
 * </ul>
 */
final class OverrideCheck {

    private OverrideCheck() {}

    static void check(PatternDecl p, Diagnostics diags) {
        PatternSettings s = PatternSettings.of(p);
        List<Expr> own = AstWalk.preorder(p.statements());
        List<Expr.Window> windows = own.stream()
                .filter(e -> e instanceof Expr.Window)
                .map(e -> (Expr.Window) e)
                .toList();
        long randoms = own.stream().filter(e -> e instanceof Expr.Random).count();
        for (ScopedOverride o : p.overrides()) {
            scope(o, s, diags);
            if (o instanceof ScopedOverride.Random r) {
                if (target(randoms, "random", o, diags)) {
                    if (r.value().value() < 1) {
                        diags.report(DiagCode.E037, r.value().span(), r.value().value());
                    }
                }
                continue;
            }
            if (!target(windows.size(), "window", o, diags)) {
                continue;
            }
            boolean blockWindow = windows.get(0).extents().get(0).blocks();
            if (o instanceof ScopedOverride.Dilation d) {
                if (blockWindow) {
                    diags.report(DiagCode.E036, d.span());
                } else if (d.value().value() < 1) {
                    diags.report(DiagCode.E031, d.value().span(), d.value().value());
                }
            } else if (o instanceof ScopedOverride.Window w) {
                window(w, blockWindow, diags);
            }
        }
    }

    private static void window(ScopedOverride.Window w, boolean blockWindow, Diagnostics diags) {
        List<Extent> xs = w.extents();
        if (xs.size() == 2) {
            boolean sides = (xs.get(0).side() == Extent.Side.BEFORE && xs.get(1).side() == Extent.Side.AFTER)
                    || (xs.get(0).side() == Extent.Side.AFTER && xs.get(1).side() == Extent.Side.BEFORE);
            if (!sides) {
                diags.report(DiagCode.E034, xs.get(1).span());
            }
        }
        for (Extent x : xs) {
            if (!(x.amount() instanceof Value.Const c)) {
                diags.report(DiagCode.E056, x.amount().span(), x.amount() instanceof Value.PerLayer ? "layer" : "head");
                continue;
            }
            if (x.blocks() != blockWindow) {
                diags.report(DiagCode.E035, x.span());
            } else if (x.blocks()
                    && x.side() == Extent.Side.UNSPECIFIED
                    && c.value().value() % 2 == 0) {
                diags.report(DiagCode.E033, c.value().span(), c.value().value());
            }
        }
    }

    /** The override has exactly one own term of its kind to change. */
    private static boolean target(long count, String kind, ScopedOverride o, Diagnostics diags) {
        if (count == 0) {
            diags.report(DiagCode.E054, o.span(), kind);
            return false;
        }
        if (count > 1) {
            diags.report(DiagCode.E055, o.span(), count, kind);
            return false;
        }
        return true;
    }

    private static void scope(ScopedOverride o, PatternSettings s, Diagnostics diags) {
        indices(o.scope().heads(), s.heads(), "head", "heads", o, diags);
        indices(o.scope().layers(), s.layers(), "layer", "layers", o, diags);
    }

    private static void indices(
            List<IndexRange> ranges,
            OptionalInt declared,
            String unit,
            String plural,
            ScopedOverride o,
            Diagnostics diags) {
        if (ranges.isEmpty()) {
            return;
        }
        if (declared.isEmpty()) {
            diags.report(DiagCode.E057, ranges.get(0).span(), plural, plural);
            return;
        }
        int count = declared.getAsInt();
        for (IndexRange r : ranges) {
            if (r.from() > r.to()) {
                diags.report(DiagCode.E053, r.span(), unit, r.from(), r.to());
            } else if (r.to() >= count) {
                diags.report(DiagCode.E052, r.span(), unit, r.to(), count, plural, count - 1);
            }
        }
    }
}
