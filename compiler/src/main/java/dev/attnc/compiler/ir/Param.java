package dev.attnc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * An integer term parameter that may vary with the layer and the head: a base value (a
 * constant, a per-layer list or a per-head list), then scoped overrides in source order,
 * the last one that applies winning.
 */
public record Param(int base, List<Integer> perLayer, List<Integer> perHead, List<ParamOverride> overrides) {

    public Param {
        perLayer = List.copyOf(perLayer);
        perHead = List.copyOf(perHead);
        overrides = List.copyOf(overrides);
        if (!perLayer.isEmpty() && !perHead.isEmpty()) {
            throw new IllegalArgumentException("a parameter varies per layer or per head, not both");
        }
    }

    public static Param of(int value) {
        return new Param(value, List.of(), List.of(), List.of());
    }

    public static Param perLayer(List<Integer> values) {
        return new Param(values.get(0), values, List.of(), List.of());
    }

    public static Param perHead(List<Integer> values) {
        return new Param(values.get(0), List.of(), values, List.of());
    }

    public Param withOverride(ParamOverride o) {
        List<ParamOverride> all = new ArrayList<>(overrides);
        all.add(o);
        return new Param(base, perLayer, perHead, all);
    }

    /** The value at {@code (layer, head)}. */
    public int at(int layer, int head) {
        int v = base;
        if (!perLayer.isEmpty()) {
            v = perLayer.get(checkIndex(layer, perLayer.size(), "layer"));
        } else if (!perHead.isEmpty()) {
            v = perHead.get(checkIndex(head, perHead.size(), "head"));
        }
        for (ParamOverride o : overrides) {
            if (o.applies(layer, head)) {
                v = o.value();
            }
        }
        return v;
    }

    /** True when the value is the same for every layer and head. */
    public boolean isConstant() {
        return perLayer.isEmpty() && perHead.isEmpty() && overrides.isEmpty();
    }

    /** The largest value over every layer and head (for bounds and cost estimates). */
    public int max() {
        int m = perLayer.isEmpty() && perHead.isEmpty()
                ? base
                : (perLayer.isEmpty() ? perHead : perLayer)
                        .stream().mapToInt(Integer::intValue).max().orElse(base);
        for (ParamOverride o : overrides) {
            m = Math.max(m, o.value());
        }
        return m;
    }

    private static int checkIndex(int i, int size, String what) {
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException(what + " " + i + " is out of range 0.." + (size - 1));
        }
        return i;
    }

    /** {@code 256}, {@code [32,64]/layer}, {@code 1{heads 8..11: 2}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!perLayer.isEmpty()) {
            sb.append(perLayer.toString().replace(" ", "")).append("/layer");
        } else if (!perHead.isEmpty()) {
            sb.append(perHead.toString().replace(" ", "")).append("/head");
        } else {
            sb.append(base);
        }
        if (!overrides.isEmpty()) {
            sb.append('{');
            for (int i = 0; i < overrides.size(); i++) {
                sb.append(i > 0 ? "; " : "").append(overrides.get(i));
            }
            sb.append('}');
        }
        return sb.toString();
    }
}
