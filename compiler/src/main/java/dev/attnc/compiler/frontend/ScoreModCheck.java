package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.Span;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

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
            boolean modifier =
                    s instanceof Setting.Softcap || s instanceof Setting.HeadScales || s instanceof Setting.Alibi;
            if (modifier && additive) {
                diags.report(DiagCode.E061, s.span(), s.keyword());
            }
            if (s instanceof Setting.Softcap c && !(c.value() > 0 && Double.isFinite(c.value()))) {
                diags.report(DiagCode.E060, s.span(), "softcap", c.text());
            } else if (s instanceof Setting.HeadScales hs) {
                perHead(hs.list(), hs.values().size(), heads, diags);
                positive(hs.values(), hs.texts(), x -> diags.report(DiagCode.E023, hs.list(), x));
            } else if (s instanceof Setting.Alibi a && !a.bloom()) {
                Span list = a.list().orElseThrow();
                perHead(list, a.slopes().size(), heads, diags);
                positive(a.slopes(), a.texts(), x -> diags.report(DiagCode.E060, list, "an alibi slope", x));
            }
        }
    }

    /** Calls {@code bad} with the text of each value that is not a positive finite number. */
    private static void positive(List<Double> values, List<String> texts, Consumer<String> bad) {
        for (int x = 0; x < values.size(); x++) {
            double v = values.get(x);
            if (!(v > 0 && Double.isFinite(v))) {
                bad.accept(texts.get(x));
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
