package dev.attnc.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java engine's score-modifier step on whole vectors: soft cap and ALiBi over a register
 * block's scores (log2 units), between the mask and the softmax. The same arithmetic as
 * {@link ScoreMods#applyLog2}, which does the keys past the last whole vector and stays the
 * host-side twin (ScoreMods, loaded by bindings, imports no Vector API type): a lane that is
 * {@code -∞} (a pair the pattern does not allow) stays {@code -∞}; otherwise
 * {@code x = C·tanh(x / C)} (C in log2 units) and then {@code x += slope·(j − i)}. The tanh is
 * a rational approximation in FMAs and one division ({@link #tanh}): {@code VectorOperators.TANH}
 * falls back to scalar code where the JIT has no vector-math intrinsic, which tripled the cost
 * of a capped window pattern in LanguageFeaturesBenchmark.
 */
final class ScoreStep {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Ints with as many lanes as {@link #F}: the key indices of those lanes. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private ScoreStep() {}

    /**
     * Applies {@code mods} (a cap or ALiBi, not only scales) of head {@code head} of
     * {@code heads} to {@code s[r·ld + t]}, rows {@code rows[r0 + r]} for {@code r < count},
     * keys {@code keys[t]} for {@code tFrom <= t < tTo}.
     */
    static void apply(
            ScoreMods mods,
            int head,
            int heads,
            int[] rows,
            int r0,
            int count,
            int[] keys,
            int tFrom,
            int tTo,
            float[] s,
            int ld) {
        boolean cap = mods.softcap() != 0;
        boolean alibi = mods.alibi();
        float capLog2 = (float) (mods.softcap() * ScoreMods.LOG2E);
        float invCap = cap ? 1f / capLog2 : 0f;
        float slopeLog2 = alibi ? (float) (mods.slope(head, heads) * ScoreMods.LOG2E) : 0f;
        int upper = tFrom + F.loopBound(tTo - tFrom);
        for (int r = 0; r < count; r++) {
            float i = rows[r0 + r];
            int at = r * ld;
            for (int t = tFrom; t < upper; t += F.length()) {
                FloatVector x = FloatVector.fromArray(F, s, at + t);
                VectorMask<Float> excluded = x.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY);
                if (cap) {
                    x = tanh(x.mul(invCap)).mul(capLog2);
                }
                if (alibi) {
                    FloatVector j =
                            (FloatVector) IntVector.fromArray(I, keys, t).convert(VectorOperators.I2F, 0);
                    x = j.sub(i).mul(slopeLog2).add(x);
                }
                x.blend(Float.NEGATIVE_INFINITY, excluded).intoArray(s, at + t);
            }
        }
        if (upper < tTo) {
            mods.applyLog2(head, heads, rows, r0, count, keys, upper, tTo, s, ld);
        }
    }

    /** Where the rational approximation reaches ±1 in float; beyond it tanh rounds to ±1 too. */
    private static final float CLAMP = 7.90531110763549805f;

    /**
     * {@code tanh x} lane by lane: {@code x·P(x²) / Q(x²)} on {@code x} clamped to ±{@link #CLAMP},
     * with Eigen's float coefficients ({@code ptanh_float}); within 4e-7 absolute and 6 float ulps
     * of {@code tanh} (checked against double tanh on 2·10⁶ points in [-20, 20] and 10⁵ in
     * [1e-8, 20]), monotone and odd.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-CLAMP).min(CLAMP);
        FloatVector x2 = c.mul(c);
        FloatVector p = x2.fma(-2.76076847742355e-16f, 2.00018790482477e-13f);
        p = p.fma(x2, FloatVector.broadcast(F, -8.60467152213735e-11f));
        p = p.fma(x2, FloatVector.broadcast(F, 5.12229709037114e-08f));
        p = p.fma(x2, FloatVector.broadcast(F, 1.48572235717979e-05f));
        p = p.fma(x2, FloatVector.broadcast(F, 6.37261928875436e-04f));
        p = p.fma(x2, FloatVector.broadcast(F, 4.89352455891786e-03f));
        p = p.mul(c);
        FloatVector q = x2.fma(1.19825839466702e-06f, 1.18534705686654e-04f);
        q = q.fma(x2, FloatVector.broadcast(F, 2.26843463243900e-03f));
        q = q.fma(x2, FloatVector.broadcast(F, 4.89352518554385e-03f));
        return p.div(q);
    }
}
