package dev.attnc.runtime.nn;

/** Turns the last hidden states {@code [B, L, hidden]} into one vector per batch item. */
public interface Pooler {

    /** {@code out [batch, hidden]} from {@code hidden [batch·length, hidden]}. */
    void pool(float[] hidden, int batch, int length, boolean[] keyValid, float[] out);

    /** BERT's, Longformer's and BigBird's pooler: {@code tanh(dense(h[:, 0]))}. */
    static Pooler firstToken(Linear dense) {
        return new FirstTokenPooler(dense);
    }

    /**
     * Fastformer's {@code AttentionPooling}: {@code α = exp(att_fc2(tanh(att_fc1(h))))·mask},
     * {@code α /= Σα + 1e-8}, {@code out = Σ α_i h_i}.
     */
    static Pooler attention(Linear fc1, Linear fc2) {
        return new AttentionPooler(fc1, fc2);
    }
}
