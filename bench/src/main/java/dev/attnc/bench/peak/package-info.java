/**
 * The fp32 FMA peak through the Vector API ({@link dev.attnc.bench.peak.VectorFmaPeak}), for
 * machines without a C compiler; {@code bench/peak/fma_peak.c} is used where gcc exists.
 */
package dev.attnc.bench.peak;
