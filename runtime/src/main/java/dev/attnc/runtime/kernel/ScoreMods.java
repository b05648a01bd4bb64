package dev.attnc.runtime.kernel;

import java.util.Arrays;

/**
 * A pattern's score modifiers, applied to every allowed pair's score before the softmax (the
 * spec's {@code scale [..] per head}, {@code softcap C} and {@code alibi} settings). In natural
 * units, for head {@code h} of {@code H}, query {@code i} and key {@code j}:
 *
 * <pre>
 *   s = scale_h · q[i]·k[j]                   (scale_h: the per-head list, else the pattern's scale)
 *   s = C · tanh(s / C)                       (softcap C; Gemma 2's order: scale, then cap)
 *   s = s + slope_h · (j − i)                 (alibi)
 * </pre>
 *
 * Disallowed pairs stay excluded (they are never modified). ALiBi slopes are the given list, or
 * Bloom's ({@link #bloomSlope}) computed from the call's head count. {@link #NONE} modifies
 * nothing: the engine skips the step entirely.
 *
 * <p>Immutable, with value equality; the arrays handed in are copied.
 */
public final class ScoreMods {

    /** No modifier: scores are the pattern's {@code scale · q·k}. */
    public static final ScoreMods NONE = new ScoreMods(null, 0, false, null);

    static final double LOG2E = 1 / Math.log(2);

    private final double[] headScales;
    private final double softcap;
    private final boolean alibi;
    private final double[] slopes;

    /**
     * @param headScales per-head softmax scales (head {@code h} at index {@code h}), or null for
     *                   the pattern's one scale
     * @param softcap    the cap {@code C > 0}, or 0 for none
     * @param alibi      whether ALiBi biases are added
     * @param slopes     the ALiBi slope of each head, or null for Bloom's slopes from the head
     *                   count (only read when {@code alibi})
     * @throws IllegalArgumentException if {@code softcap} is negative or not finite, or a scale
     *                                  or slope is not finite
     */
    public ScoreMods(double[] headScales, double softcap, boolean alibi, double[] slopes) {
        if (!(softcap >= 0) || Double.isInfinite(softcap)) {
            throw new IllegalArgumentException("softcap: expected a finite number > 0 (or 0 for none), got " + softcap);
        }
        this.headScales = finiteCopy(headScales, "per-head scale");
        this.softcap = softcap;
        this.alibi = alibi;
        this.slopes = finiteCopy(slopes, "alibi slope");
    }

    private static double[] finiteCopy(double[] values, String what) {
        if (values == null) {
            return null;
        }
        for (int x = 0; x < values.length; x++) {
            if (!Double.isFinite(values[x])) {
                throw new IllegalArgumentException(
                        what + " of head " + x + ": expected a finite number, got " + values[x]);
            }
        }
        return values.clone();
    }

    /** Whether this modifies nothing (no per-head scale, cap or ALiBi). */
    public boolean isNone() {
        return headScales == null && softcap == 0 && !alibi;
    }

    /** Whether only the scale varies per head: scores need no step of their own. */
    public boolean scaleOnly() {
        return softcap == 0 && !alibi;
    }

    /** The per-head scales, or null (a copy). */
    public double[] headScales() {
        return headScales == null ? null : headScales.clone();
    }

    /** The cap {@code C}, 0 for none. */
    public double softcap() {
        return softcap;
    }

    public boolean alibi() {
        return alibi;
    }

    /** The explicit ALiBi slopes, or null when they are Bloom's from the head count (a copy). */
    public double[] slopes() {
        return slopes == null ? null : slopes.clone();
    }

    /**
     * Head {@code head}'s softmax scale: its per-head value, else {@code patternScale}.
     *
     * @throws IllegalArgumentException if the per-head list has no entry for {@code head}
     */
    public double scale(int head, double patternScale) {
        if (headScales == null) {
            return patternScale;
        }
        if (head < 0 || head >= headScales.length) {
            throw new IllegalArgumentException(
                    "head " + head + " is out of range: the per-head scale lists " + headScales.length + " heads");
        }
        return headScales[head];
    }

    /**
     * Head {@code head}'s ALiBi slope among {@code heads} heads: the explicit list's, else
     * {@link #bloomSlope}; 0 without ALiBi.
     */
    public double slope(int head, int heads) {
        if (!alibi) {
            return 0;
        }
        if (slopes == null) {
            return bloomSlope(head, heads);
        }
        if (head < 0 || head >= slopes.length) {
            throw new IllegalArgumentException(
                    "head " + head + " is out of range: the alibi slopes list " + slopes.length + " heads");
        }
        return slopes[head];
    }

    /**
     * Bloom's ALiBi slope of head {@code h} of {@code heads} (HF {@code build_alibi_tensor}, the
     * ALiBi paper's {@code get_slopes}): with {@code p} the largest power of 2 at most
     * {@code heads}, heads {@code h < p} take {@code 2^(−8(h+1)/p)}, the others the odd powers of
     * {@code 2^(−4/p)}: {@code 2^(−4(2(h−p)+1)/p)}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= h < heads}
     */
    public static double bloomSlope(int h, int heads) {
        if (heads < 1 || h < 0 || h >= heads) {
            throw new IllegalArgumentException("alibi head " + h + ": expected 0 <= head < heads = " + heads);
        }
        int p = Integer.highestOneBit(heads);
        if (h < p) {
            return Math.pow(2, -8.0 * (h + 1) / p);
        }
        return Math.pow(2, -4.0 * (2 * (h - p) + 1) / p);
    }

    /** {@link #bloomSlope} of every head {@code 0..heads-1}. */
    public static double[] bloomSlopes(int heads) {
        double[] s = new double[heads];
        for (int h = 0; h < heads; h++) {
            s[h] = bloomSlope(h, heads);
        }
        return s;
    }

    /**
     * Applies the cap and the ALiBi bias to a tile of scores in log2 units (natural score times
     * {@code log2 e}, the scale already in): {@code s[r·ld + t]} for query {@code rows[r0 + r]}
     * and key {@code keys[t]}, {@code r < count}, {@code tFrom <= t < tTo}. Scores of {@code -∞}
     * (pairs not allowed, padding) stay {@code -∞}.
     */
    void applyLog2(
            int head, int heads, int[] rows, int r0, int count, int[] keys, int tFrom, int tTo, float[] s, int ld) {
        float capLog2 = (float) (softcap * LOG2E);
        float invCap = softcap == 0 ? 0f : 1f / capLog2;
        float slopeLog2 = (float) (slope(head, heads) * LOG2E);
        for (int r = 0; r < count; r++) {
            int i = rows[r0 + r];
            int at = r * ld;
            for (int t = tFrom; t < tTo; t++) {
                float x = s[at + t];
                if (x == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                if (softcap != 0) {
                    x = capLog2 * tanh(x * invCap);
                }
                if (alibi) {
                    x += slopeLog2 * (keys[t] - i);
                }
                s[at + t] = x;
            }
        }
    }

    /**
     * {@code tanh x} as {@code sign(x)·(1 − e^{−2|x|})/(1 + e^{−2|x|})} in double, rounded once to
     * float (within 1 ulp of {@code (float) Math.tanh(x)}): {@code Math.exp} is a JIT intrinsic,
     * {@code Math.tanh} is not, and the engine calls this once per capped score.
     */
    static float tanh(float x) {
        double e = Math.exp(-2 * Math.abs((double) x));
        return (float) Math.copySign((1 - e) / (1 + e), x);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreMods m
                && Arrays.equals(headScales, m.headScales)
                && Double.compare(softcap, m.softcap) == 0
                && alibi == m.alibi
                && Arrays.equals(slopes, m.slopes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(headScales) + Double.hashCode(softcap)) + Boolean.hashCode(alibi))
                + Arrays.hashCode(slopes);
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        if (headScales != null) {
            b.append("scale ").append(Arrays.toString(headScales)).append(" per head");
        }
        if (softcap != 0) {
            b.append(b.length() > 0 ? ", " : "").append("softcap ").append(softcap);
        }
        if (alibi) {
            b.append(b.length() > 0 ? ", " : "")
                    .append("alibi")
                    .append(slopes == null ? "" : " " + Arrays.toString(slopes) + " per head");
        }
        return b.toString();
    }
}
