package dev.attnc.runtime.testing.reference;

/**
 * The parts of a layer around the attention that all three models take from BERT ({@code
 * transformers/models/bert/modeling_bert.py}, copied as {@code LongformerSelfOutput}, {@code
 * BigBirdSelfOutput}, …; Fastformer imports {@code BertSelfOutput}, {@code BertIntermediate} and
 * {@code BertOutput} themselves). Dropout is the identity (eval mode).
 */
final class BertSublayers {

    private BertSublayers() {}

    /**
     * {@code BertSelfOutput}: {@code LayerNorm(dense(context) + input)} with {@code
     * prefix.dense} and {@code prefix.LayerNorm} ({@code prefix} ends in {@code
     * "attention.output"}).
     */
    static double[][] selfOutput(Checkpoint w, String prefix, double[][] context, double[][] input, double eps) {
        return w.layerNorm(prefix + ".LayerNorm", plus(w.linear(prefix + ".dense", context), input), eps);
    }

    /**
     * {@code BertIntermediate} then {@code BertOutput}: {@code LayerNorm(output.dense(act(
     * intermediate.dense(a))) + a)} under {@code layerPrefix} (ending in a dot).
     */
    static double[][] feedForward(Checkpoint w, String layerPrefix, double[][] a, Activation act, double eps) {
        double[][] inter = w.linear(layerPrefix + "intermediate.dense", a);
        for (double[] row : inter) {
            for (int k = 0; k < row.length; k++) {
                row[k] = act.apply(row[k]);
            }
        }
        return w.layerNorm(
                layerPrefix + "output.LayerNorm", plus(w.linear(layerPrefix + "output.dense", inter), a), eps);
    }

    /** {@code tanh(dense(h[0]))}: BERT's pooler on the first token. */
    static double[] pool(Checkpoint w, String dense, double[][] h) {
        double[] y = w.linear(dense, h[0]);
        for (int k = 0; k < y.length; k++) {
            y[k] = Math.tanh(y[k]);
        }
        return y;
    }

    static double[][] plus(double[][] a, double[][] b) {
        double[][] y = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            y[i] = new double[a[i].length];
            for (int k = 0; k < a[i].length; k++) {
                y[i][k] = a[i][k] + b[i][k];
            }
        }
        return y;
    }
}
