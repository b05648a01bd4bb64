package dev.attnc.runtime.nn;

/** {@code tanh(dense(h[:, 0]))}: see {@link Pooler#firstToken}. */
final class FirstTokenPooler implements Pooler {

    private final Linear dense;

    FirstTokenPooler(Linear dense) {
        if (dense.inFeatures() != dense.outFeatures()) {
            throw new IllegalArgumentException("pooler dense: expected a square [hidden, hidden] weight, got ["
                    + dense.outFeatures() + ", " + dense.inFeatures() + "]");
        }
        this.dense = dense;
    }

    @Override
    public void pool(float[] hidden, int batch, int length, boolean[] keyValid, float[] out) {
        int dim = dense.inFeatures();
        float[] first = new float[batch * dim];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(hidden, b * length * dim, first, b * dim, dim);
        }
        dense.forward(first, batch, out);
        Activation.TANH.apply(out, 0, batch * dim);
    }
}
