package dev.attnc.runtime.nn;

/** Fastformer's attention pooling: see {@link Pooler#attention}. */
final class AttentionPooler implements Pooler {

    private final Linear fc1;
    private final Linear fc2;

    AttentionPooler(Linear fc1, Linear fc2) {
        if (fc2.outFeatures() != 1 || fc2.inFeatures() != fc1.outFeatures() || fc1.inFeatures() != fc1.outFeatures()) {
            throw new IllegalArgumentException(
                    "attention pooler: expected att_fc1 [hidden, hidden] and att_fc2 [1, hidden],"
                            + " got [" + fc1.outFeatures() + ", " + fc1.inFeatures() + "] and [" + fc2.outFeatures()
                            + ", "
                            + fc2.inFeatures() + "]");
        }
        this.fc1 = fc1;
        this.fc2 = fc2;
    }

    @Override
    public void pool(float[] hidden, int batch, int length, boolean[] keyValid, float[] out) {
        int dim = fc1.inFeatures();
        float[] e = new float[length * dim];
        float[] alpha = new float[length];
        for (int b = 0; b < batch; b++) {
            int off = b * length * dim;
            fc1.forward(hidden, off, length, e, 0);
            Activation.TANH.apply(e, 0, length * dim);
            fc2.forward(e, 0, length, alpha, 0);
            // As the official code: exp without subtracting the maximum, masked, then / (Σ + 1e-8).
            double sum = 0;
            for (int i = 0; i < length; i++) {
                float a = (float) Math.exp(alpha[i]);
                alpha[i] = keyValid == null || keyValid[b * length + i] ? a : 0f;
                sum += alpha[i];
            }
            float denom = (float) (sum + 1e-8);
            double[] acc = new double[dim];
            for (int i = 0; i < length; i++) {
                double w = alpha[i] / denom;
                if (w != 0) {
                    for (int c = 0; c < dim; c++) {
                        acc[c] += w * hidden[off + i * dim + c];
                    }
                }
            }
            for (int c = 0; c < dim; c++) {
                out[b * dim + c] = (float) acc[c];
            }
        }
    }
}
