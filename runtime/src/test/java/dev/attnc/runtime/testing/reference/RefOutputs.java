package dev.attnc.runtime.testing.reference;

/**
 * What a reference model returns: {@code lastHiddenState} {@code [B][L][hidden]} for every input
 * position (internal padding removed; positions the mask excludes are computed as the source
 * computes them, compare real tokens only), and {@code poolerOutput} {@code [B][hidden]}.
 */
public record RefOutputs(double[][][] lastHiddenState, double[][] poolerOutput) {}
