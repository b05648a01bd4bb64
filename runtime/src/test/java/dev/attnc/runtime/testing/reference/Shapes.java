package dev.attnc.runtime.testing.reference;

import java.util.Map;

/** Adds the tensors of common PyTorch modules to a shape table (names as {@code state_dict} keys). */
final class Shapes {

    private Shapes() {}

    /** {@code nn.Linear(in, out)}: {@code prefix.weight [out, in]}, {@code prefix.bias [out]}. */
    static void linear(Map<String, long[]> s, String prefix, int out, int in) {
        s.put(prefix + ".weight", new long[] {out, in});
        s.put(prefix + ".bias", new long[] {out});
    }

    /** {@code nn.LayerNorm(width)}: {@code prefix.weight}, {@code prefix.bias}, both {@code [width]}. */
    static void layerNorm(Map<String, long[]> s, String prefix, int width) {
        s.put(prefix + ".weight", new long[] {width});
        s.put(prefix + ".bias", new long[] {width});
    }

    /** BERT's self-output, intermediate and output under {@code layerPrefix} (ending in a dot). */
    static void bertSublayers(Map<String, long[]> s, String layerPrefix, int hidden, int intermediate) {
        linear(s, layerPrefix + "attention.output.dense", hidden, hidden);
        layerNorm(s, layerPrefix + "attention.output.LayerNorm", hidden);
        linear(s, layerPrefix + "intermediate.dense", intermediate, hidden);
        linear(s, layerPrefix + "output.dense", hidden, intermediate);
        layerNorm(s, layerPrefix + "output.LayerNorm", hidden);
    }
}
