package dev.attnc.bench.device;

import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.Workloads;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.cuda.CudaDtype;

/**
 * What one device call of a pattern computes and moves, batch 1: the exact FLOPs of
 * {@link Workloads} (softmax patterns 4·d per attended pair, pairs counted from the IR;
 * Fastformer 4·n·E·H + 6·n·E with pooling matrices, 10·n·E with vectors, E = H·d) and an
 * estimate of the bytes moved: every activation tensor (q, k, v, out; v only when it is not q)
 * read or written once, {@code H·n·d} elements of the dtype each. Weights, bindings and the
 * re-reads of K and V by different blocks are not counted, so GB/s is a lower bound of the
 * real traffic.
 *
 * @param workload the shape, pairs and FLOPs
 * @param dtype    the device element type
 * @param tensors  activation tensors read or written once (4, or 3 when v is q)
 * @param bytes    {@code tensors · H · n · d · dtype.bytes()}
 */
public record DeviceWork(Workload workload, CudaDtype dtype, int tensors, double bytes) {

    /** The work of {@code p} at length {@code n} with its heads ({@link Workloads#heads}) in {@code dtype}. */
    public static DeviceWork of(PatternIR p, int n, CudaDtype dtype) {
        Workload w = Workloads.of(p, n);
        int tensors = p.attention() instanceof Attention.Additive a && a.sharedValue() ? 3 : 4;
        double bytes = (double) tensors * w.heads() * w.n() * w.headDim() * dtype.bytes();
        return new DeviceWork(w, dtype, tensors, bytes);
    }

    /** FLOPs per call. */
    public double flops() {
        return workload.flops();
    }

    /** TFLOP/s at {@code ms} milliseconds per call. */
    public double teraflops(double ms) {
        return flops() / (ms * 1e-3) / 1e12;
    }

    /** GB/s (10⁹ bytes) at {@code ms} milliseconds per call. */
    public double gigabytes(double ms) {
        return bytes / (ms * 1e-3) / 1e9;
    }
}
