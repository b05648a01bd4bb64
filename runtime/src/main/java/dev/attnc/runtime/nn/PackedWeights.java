package dev.attnc.runtime.nn;

/**
 * The weights of a {@link Linear} packed for {@link GemmKernel}: {@code Wᵀ [in, out]} cut into
 * panels of {@link GemmKernel#PANEL} output columns, each panel stored feature-major so that a
 * kernel reads one contiguous stream, {@code panel[p][k][j] = W[p·PANEL + j, k]} at index
 * {@code (p·in + k)·PANEL + j}. The last panel is padded with zero columns when {@code out} is
 * not a multiple of the panel width; those columns are computed and never stored. The bias is
 * padded the same way (all zeros when there is none), so the first feature range of every
 * panel starts from it.
 *
 * <p>Immutable after construction (the arrays are never written again and never leave the
 * package).
 */
final class PackedWeights {

    final int in;
    final int out;
    /** Panels, the last one possibly partial. */
    final int panels;
    /** Panels whose columns are all real: {@code out / PANEL}. */
    final int fullPanels;
    /** The packed panels, {@code panels · in · PANEL} floats. */
    final float[] w;
    /** The bias padded to {@code panels · PANEL} floats (zeros for no bias). */
    final float[] bias;

    /**
     * Packs {@code weight [out, in]} (row-major, as PyTorch stores it) and {@code bias [out]}
     * or null. The caller has checked the lengths.
     *
     * @throws IllegalArgumentException when the padded panels do not fit one Java array
     */
    PackedWeights(float[] weight, float[] bias, int out, int in) {
        int width = GemmKernel.PANEL;
        this.in = in;
        this.out = out;
        this.panels = (out + width - 1) / width;
        this.fullPanels = out / width;
        long size = (long) panels * width * in;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("weight: [" + out + ", " + in + "] padded to " + panels * width
                    + " output columns (" + size + " floats) does not fit one array");
        }
        this.w = new float[(int) size];
        for (int o = 0; o < out; o++) {
            int base = (o / width) * in * width + o % width;
            int src = o * in;
            for (int k = 0; k < in; k++) {
                w[base + k * width] = weight[src + k];
            }
        }
        this.bias = new float[panels * width];
        if (bias != null) {
            System.arraycopy(bias, 0, this.bias, 0, out);
        }
    }

    /** Index of feature {@code k} in panel {@code p}. */
    int offset(int p, int k) {
        return (p * in + k) * GemmKernel.PANEL;
    }
}
