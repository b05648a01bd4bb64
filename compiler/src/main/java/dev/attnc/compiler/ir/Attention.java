package dev.attnc.compiler.ir;

/** What a pattern computes: softmax attention under a mask, or Fastformer additive attention. */
public sealed interface Attention {

    /** Softmax attention over the keys that {@code mask} allows. */
    record Softmax(MaskExpr mask) implements Attention {}

    /**
     * Fastformer additive attention (docs/DESIGN.md §3).
     *
     * @param sharedValue {@code v = q}, as in the official code
     * @param poolingMatrix pooling scores from a full {@code H × H·d} matrix (official code)
     *                      rather than a per-head vector
     */
    record Additive(boolean sharedValue, boolean poolingMatrix) implements Attention {}
}
