package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.Span;
import java.util.List;
import java.util.OptionalInt;

/**
 * Checks a pattern's score modifiers ({@code softcap C}, {@code alibi}, {@code scale [..] per
 * head}): the cap and every listed slope a positive finite number (E060), every per-head scale
 * positive (E023), a list only with {@code heads N} in the pattern (E050) and with one value per
 * head (E051), and none of them in an additive pattern (E061). A second {@code scale} (either
 * form) or a repeated modifier is {@link SettingsCheck}'s E020.
 */
final class ScoreModCheck {

    private ScoreModCheck() {}

    static void check(PatternDecl p, Diagnostics diags) {
        boolean additive = p.statements().stream().anyMatch(e -> e instanceof Expr.Additive);
        OptionalInt heads = PatternSettings.of(p).heads();
        for (Setting s : p.settings()) {
            if (s instanceof Setting.Softcap c) {
                if (!(c.value() > 0 && Double.isFinite(c.value()))) {
                    diags.report(DiagCode.E060, s.span(), "softcap", c.text());
                }
            } else if (s instanceof Setting.HeadScales hs) {
                perHead(hs.list(), hs.values().size(), heads, diags);
                for (int x = 0; x < hs.values().size(); x++) {
                    double v = hs.values().get(x);
                    if (!(v > 0 && Double.isFinite(v))) {
                        diags.report(DiagCode.E023, hs.list(), hs.texts().get(x));
                    }
                }
            } else if (s instanceof Setting.Alibi a && !a.bloom()) {
                perHead(a.list().orElseThrow(), a.slopes().size(), heads, diags);
                List<Double> slopes = a.slopes();
                for (int x = 0; x < slopes.size(); x++) {
                    double v = slopes.get(x);
                    if (!(v > 0 && Double.isFinite(v))) {
                        diags.report(
                                DiagCode.E060,
                                a.list().orElseThrow(),
                                "an alibi slope",
                                a.texts().get(x));
                    }
                }
            } else {
                continue;
            }
            if (additive) {
                diags.report(DiagCode.E061, s.span(), s.keyword());
            }
        }
    }

    private static void perHead(Span list, int values, OptionalInt heads, Diagnostics diags) {
        if (heads.isEmpty()) {
            diags.report(DiagCode.E050, list, "head", "heads");
        } else if (heads.getAsInt() != values) {
            diags.report(DiagCode.E051, list, "head", values, heads.getAsInt(), "heads");
        }
    }
}
