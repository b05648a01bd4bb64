package dev.attnc.compiler.ir;

import java.util.List;

/** {@code value} for the heads in {@code heads} of the layers in {@code layers}; an empty list means all. */
public record ParamOverride(List<IntRange> heads, List<IntRange> layers, int value) {
    public ParamOverride {
        heads = List.copyOf(heads);
        layers = List.copyOf(layers);
    }

    public boolean applies(int layer, int head) {
        return (heads.isEmpty() || heads.stream().anyMatch(r -> r.contains(head)))
                && (layers.isEmpty() || layers.stream().anyMatch(r -> r.contains(layer)));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!heads.isEmpty()) {
            sb.append("heads ").append(join(heads));
        }
        if (!layers.isEmpty()) {
            sb.append(sb.length() > 0 ? " " : "").append("layers ").append(join(layers));
        }
        return sb.append(": ").append(value).toString();
    }

    private static String join(List<IntRange> rs) {
        return String.join(",", rs.stream().map(IntRange::toString).toList());
    }
}
