package dev.attnc.bench.report;

import dev.attnc.bench.suite.Workload;

/**
 * One row of the report's kernel table: a measured grid point with its exact work.
 *
 * @param series      what ran: the pattern's name, or {@link #REFERENCE} for the fp64 oracle
 * @param workload    the call's work (pairs, FLOPs, shape)
 * @param millis      mean time per call
 * @param millisError JMH's 99.9 % half-width (NaN with too few samples)
 * @param allocBytes  bytes allocated per call (NaN when not profiled)
 * @param peak        the calibration the percentage refers to
 */
public record KernelRow(
        String series, Workload workload, double millis, double millisError, double allocBytes, PeakCalibration peak) {

    /** The series name of {@code DenseReferenceBenchmark}. */
    public static final String REFERENCE = "dense_reference_fp64";

    public int n() {
        return workload.n();
    }

    /** FLOPs per call over the time per call. */
    public double gflops() {
        return workload.flops() / (millis * 1e6);
    }

    public double percentOfPeak() {
        return peak.percentOf(gflops());
    }

    /** Time per token (batch 1): the call's time over {@code n}. */
    public double nanosPerToken() {
        return millis * 1e6 / workload.n();
    }
}
