package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionShape;

/**
 * The host side of an additive (Fastformer) pattern: the sizes it fixes and the validation of
 * a call against them. Plain data, the same for every backend: the Java engine
 * ({@link AdditiveAttentionKernel}), the CUDA host code ({@code CudaAdditiveKernel}) and the
 * CPU emulator all check a call through {@link #check}, so they reject it with the same message.
 *
 * <p>Needs neither javac nor the Vector API (it imports no {@code jdk.incubator.vector} type),
 * so a GPU host builds it straight from the pattern without the Java engine.
 *
 * @param heads         the spec's head count, 0 when it fixes none
 * @param sharedValue   the spec says {@code v = q}
 * @param poolingMatrix pooling scores from a full {@code [H, H·d]} matrix (else per-head vectors)
 */
public record AdditiveSpec(
        String name, int headDim, double scale, int heads, boolean sharedValue, boolean poolingMatrix) {

    /**
     * Checks a call against the pattern (head dim, heads, pooling kind) and the output's size,
     * as every backend does before any work.
     *
     * @throws IllegalArgumentException naming the argument, the expected and the actual shape
     */
    public void check(AdditiveInputs in, float[] out) {
        AttentionShape s = in.shape();
        int e = s.heads() * s.headDim();
        String act = "[" + s.batch() + ", " + s.length() + ", " + e + "]";
        if (s.headDim() != headDim) {
            throw new IllegalArgumentException("q, k, v: pattern '" + name + "' was compiled for head dim " + headDim
                    + ", got " + act + " with head dim " + s.headDim());
        }
        if (heads > 0 && s.heads() != heads) {
            throw new IllegalArgumentException("q, k, v: pattern '" + name + "' has " + heads + " heads, got " + act
                    + " with " + s.heads() + " heads");
        }
        if (poolingMatrix == in.perHeadVectors()) {
            throw new IllegalArgumentException(
                    poolingMatrix
                            ? "W_qa, W_ka: pattern '" + name + "' pools with full matrices [" + s.heads() + ", " + e
                                    + "]; got per-head vectors [" + s.heads() + ", " + s.headDim() + "]"
                            : "w_q, w_k: pattern '" + name + "' pools with per-head vectors [" + s.heads() + ", "
                                    + s.headDim() + "]; got full matrices [" + s.heads() + ", " + e + "]");
        }
        in.checkOutput(out);
    }
}
