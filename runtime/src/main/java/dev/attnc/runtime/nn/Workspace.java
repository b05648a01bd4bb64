package dev.attnc.runtime.nn;

/**
 * The activations of one encoder call, allocated once per call shape and reused by every layer
 * (and, through the model's pool, by later calls of the same shape): no per-token
 * or per-layer garbage. Not thread-safe: one call owns a workspace at a time.
 */
public final class Workspace {

    private final int rows;
    private final int hidden;
    private final int intermediate;
    private final int heads;

    /** The hidden states, {@code [rows, hidden]}: the encoder's input and output. */
    final float[] hiddenStates;
    /** A second hidden-sized buffer (the attention block's output, then the residual of the FFN). */
    final float[] residual;

    final float[] q;
    final float[] k;
    final float[] v;
    final float[] context;
    final float[] ffn;
    private float[] qg;
    private float[] kg;
    private float[] vg;
    private float[] lse;
    private float[] normed;

    public Workspace(int rows, int hidden, int intermediate, int heads) {
        if (rows < 1 || hidden < 1 || intermediate < 1 || heads < 1) {
            throw new IllegalArgumentException("workspace sizes must be positive: rows " + rows + ", hidden " + hidden
                    + ", intermediate " + intermediate + ", heads " + heads);
        }
        if ((long) rows * Math.max(hidden, intermediate) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a call of " + rows + " tokens × " + Math.max(hidden, intermediate)
                    + " features exceeds 2^31 floats per buffer; split the batch");
        }
        this.rows = rows;
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.heads = heads;
        this.hiddenStates = new float[rows * hidden];
        this.residual = new float[rows * hidden];
        this.q = new float[rows * hidden];
        this.k = new float[rows * hidden];
        this.v = new float[rows * hidden];
        this.context = new float[rows * hidden];
        this.ffn = new float[rows * intermediate];
    }

    /** Whether this workspace serves a call of {@code rows} tokens of the given model sizes. */
    public boolean fits(int rows, int hidden, int intermediate, int heads) {
        return rows == this.rows && hidden == this.hidden && intermediate == this.intermediate && heads == this.heads;
    }

    public int capacityRows() {
        return rows;
    }

    /** The hidden states {@code [rows, hidden]} (valid for the call's rows only). */
    public float[] hiddenStates() {
        return hiddenStates;
    }

    float[] qg() {
        return qg == null ? (qg = new float[q.length]) : qg;
    }

    float[] kg() {
        return kg == null ? (kg = new float[q.length]) : kg;
    }

    float[] vg() {
        return vg == null ? (vg = new float[q.length]) : vg;
    }

    /** {@code [batch, heads, length]} for a call of {@code rows} tokens. */
    float[] lse(int callRows) {
        int need = callRows * heads;
        return lse == null || lse.length != need ? (lse = new float[need]) : lse;
    }

    /** A hidden-sized buffer for pre-norm layers. */
    float[] normed() {
        return normed == null ? (normed = new float[q.length]) : normed;
    }
}
