package dev.attnc.compiler.interp;

import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Scope;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.frontend.PatternSettings;
import java.util.List;

/**
 * Settings read straight from the AST at a layer and head (the interpreter's own reading: it
 * shares nothing with the IR builder): per-layer and per-head values, window extents as written,
 * scopes of overrides, negative indices, the pattern's block size.
 */
final class AstValues {

    private AstValues() {}

    /** Sets {@code sides[0]} (before) and/or {@code sides[1]} (after) from extents as written. */
    static void applyExtents(List<Extent> extents, int[] sides, int layer, int head) {
        for (Extent x : extents) {
            int v = value(x.amount(), layer, head);
            switch (x.side()) {
                case BEFORE -> sides[0] = v;
                case AFTER -> sides[1] = v;
                case EACH -> {
                    sides[0] = v;
                    sides[1] = v;
                }
                case UNSPECIFIED -> {
                    int each = x.blocks() ? (v - 1) / 2 : v;
                    sides[0] = each;
                    sides[1] = each;
                }
            }
        }
    }

    /** Negative indices count from the end: -1 is {@code size - 1}. */
    static long resolve(long index, long size) {
        return index < 0 ? size + index : index;
    }

    static int value(Value v, int layer, int head) {
        if (v instanceof Value.Const c) {
            return c.value().intValue();
        } else if (v instanceof Value.PerLayer l) {
            return l.values().get(layer).intValue();
        }
        return ((Value.PerHead) v).values().get(head).intValue();
    }

    static boolean applies(Scope s, int layer, int head) {
        return contains(s.heads(), head) && contains(s.layers(), layer);
    }

    static boolean contains(List<IndexRange> ranges, int i) {
        if (ranges.isEmpty()) {
            return true;
        }
        for (IndexRange r : ranges) {
            if (i >= r.from() && i <= r.to()) {
                return true;
            }
        }
        return false;
    }

    static int block(PatternDecl d) {
        return PatternSettings.of(d).block().orElse(0);
    }
}
