package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Ident;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.runtime.kernel.ScoreMods;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** The settings of one pattern declaration, the first occurrence of each (repeats are E020). */
public record PatternSettings(
        OptionalInt headDim,
        OptionalInt heads,
        OptionalInt kvHeads,
        OptionalInt layers,
        OptionalInt block,
        OptionalDouble scale,
        Optional<List<Ident>> dtypes) {

    public static PatternSettings of(PatternDecl p) {
        OptionalInt headDim = OptionalInt.empty();
        OptionalInt heads = OptionalInt.empty();
        OptionalInt kvHeads = OptionalInt.empty();
        OptionalInt layers = OptionalInt.empty();
        OptionalInt block = OptionalInt.empty();
        OptionalDouble scale = OptionalDouble.empty();
        Optional<List<Ident>> dtypes = Optional.empty();
        for (Setting s : p.settings()) {
            if (s instanceof Setting.HeadDim h && headDim.isEmpty()) {
                headDim = OptionalInt.of(h.value().intValue());
            } else if (s instanceof Setting.Heads h && heads.isEmpty()) {
                heads = OptionalInt.of(h.value().intValue());
            } else if (s instanceof Setting.KvHeads k && kvHeads.isEmpty()) {
                kvHeads = OptionalInt.of(k.value().intValue());
            } else if (s instanceof Setting.Layers l && layers.isEmpty()) {
                layers = OptionalInt.of(l.value().intValue());
            } else if (s instanceof Setting.Block b && block.isEmpty()) {
                block = OptionalInt.of(b.value().intValue());
            } else if (s instanceof Setting.Scale sc && scale.isEmpty()) {
                scale = OptionalDouble.of(sc.value());
            } else if (s instanceof Setting.Dtype d && dtypes.isEmpty()) {
                dtypes = Optional.of(d.names());
            }
        }
        return new PatternSettings(headDim, heads, kvHeads, layers, block, scale, dtypes);
    }

    /**
     * The score modifiers a pattern declares itself ({@code scale [..] per head}, {@code softcap},
     * {@code alibi}; like {@code scale}, never taken from a referenced pattern), the first of
     * each; {@link ScoreMods#NONE} when it has none.
     */
    public static ScoreMods scoreMods(PatternDecl p) {
        double[] headScales = null;
        double softcap = 0;
        boolean alibi = false;
        double[] slopes = null;
        for (Setting s : p.settings()) {
            if (s instanceof Setting.HeadScales h && headScales == null) {
                headScales =
                        h.values().stream().mapToDouble(Double::doubleValue).toArray();
            } else if (s instanceof Setting.Softcap c && softcap == 0) {
                softcap = c.value();
            } else if (s instanceof Setting.Alibi a && !alibi) {
                alibi = true;
                slopes = a.bloom()
                        ? null
                        : a.slopes().stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        return headScales == null && softcap == 0 && !alibi
                ? ScoreMods.NONE
                : new ScoreMods(headScales, softcap, alibi, slopes);
    }
}
