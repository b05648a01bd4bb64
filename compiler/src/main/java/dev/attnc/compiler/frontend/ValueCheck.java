package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.IntLit;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiConsumer;

/**
 * Checks a number that may vary per layer or per head: a list needs the pattern's
 * {@code layers N} / {@code heads N} (E050) and exactly that many values (E051); every value
 * is then checked as the scalar would be, by {@code each}.
 */
final class ValueCheck {

    private ValueCheck() {}

    static void check(Value v, PatternSettings s, Diagnostics diags, BiConsumer<IntLit, Diagnostics> each) {
        if (v instanceof Value.Const c) {
            each.accept(c.value(), diags);
            return;
        }
        boolean perLayer = v instanceof Value.PerLayer;
        List<IntLit> values = perLayer ? ((Value.PerLayer) v).values() : ((Value.PerHead) v).values();
        String unit = perLayer ? "layer" : "head";
        String setting = perLayer ? "layers" : "heads";
        OptionalInt declared = perLayer ? s.layers() : s.heads();
        if (declared.isEmpty()) {
            diags.report(DiagCode.E050, v.span(), unit, setting);
        } else if (declared.getAsInt() != values.size()) {
            diags.report(DiagCode.E051, v.span(), unit, values.size(), declared.getAsInt(), setting);
        }
        for (IntLit x : values) {
            each.accept(x, diags);
        }
    }
}
