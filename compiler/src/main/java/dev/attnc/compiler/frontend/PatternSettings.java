package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Ident;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
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
}
