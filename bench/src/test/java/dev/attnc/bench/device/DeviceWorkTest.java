package dev.attnc.bench.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.bench.suite.SpecCatalog;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.cuda.CudaDtype;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * FLOPs and bytes of device calls against counts worked out by hand (batch 1, the specs' 12
 * heads × 64 or 16 × 16), and the rates derived from them. Exact: every count is an integer
 * below 2^53.
 */
class DeviceWorkTest {

    /** Surefire runs in bench/: the repository's specs are one level up. */
    private static final SpecCatalog CATALOG = SpecCatalog.load(Path.of("../specs"));

    private static PatternIR p(String name) {
        return CATALOG.entry(name).pattern();
    }

    @Test
    void denseIsEveryPairOfEveryHead() {
        // n = 100: 12 · 100 · 100 = 120 000 pairs; 4 · 64 per pair
        DeviceWork w = DeviceWork.of(p("dense"), 100, CudaDtype.F16);
        assertEquals(120_000, w.workload().pairs());
        assertEquals(30_720_000.0, w.flops(), 0.0);
        // q, k, v, out: 4 · 12 · 100 · 64 elements of 2 bytes
        assertEquals(4, w.tensors());
        assertEquals(614_400.0, w.bytes(), 0.0);
        assertEquals(1_228_800.0, DeviceWork.of(p("dense"), 100, CudaDtype.F32).bytes(), 0.0);
        assertEquals(614_400.0, DeviceWork.of(p("dense"), 100, CudaDtype.BF16).bytes(), 0.0);
    }

    @Test
    void longformerBaseIsTheBandPlusTokenZerosRowAndColumn() {
        // n = 600, |i − j| ≤ 256: 600 + 2 · Σ_{k=1..256} (600 − k) = 600 + 2 · (153 600 − 32 896) = 242 008;
        // token 0 global: its row adds keys 257..599 (343) and its column queries 257..599 (343)
        long perHead = 242_008 + 343 + 343;
        DeviceWork w = DeviceWork.of(p("longformer_base"), 600, CudaDtype.F32);
        assertEquals(12 * perHead, w.workload().pairs());
        assertEquals(4.0 * 64 * 12 * perHead, w.flops(), 0.0);
        assertEquals(4.0 * 12 * 600 * 64 * 4, w.bytes(), 0.0);
    }

    @Test
    void fastformerCountsItsPoolingAndItsSharedValue() {
        // official: 16 heads × 16, E = 256, pooling matrices: 4·n·E·H + 6·n·E at n = 100
        DeviceWork w = DeviceWork.of(p("fastformer"), 100, CudaDtype.F32);
        assertEquals(4.0 * 100 * 256 * 16 + 6.0 * 100 * 256, w.flops(), 0.0);
        assertEquals(1_792_000.0, w.flops(), 0.0);
        // v is q: q, k, out
        assertEquals(3, w.tensors());
        assertEquals(3.0 * 100 * 256 * 4, w.bytes(), 0.0);
        // the paper's: separate values, per-head vectors: 10·n·E
        DeviceWork paper = DeviceWork.of(p("fastformer_paper"), 100, CudaDtype.F16);
        assertEquals(10.0 * 100 * 256, paper.flops(), 0.0);
        assertEquals(4, paper.tensors());
        assertEquals(4.0 * 100 * 256 * 2, paper.bytes(), 0.0);
    }

    @Test
    void ratesDivideByTheTimeInSeconds() {
        DeviceWork w = DeviceWork.of(p("dense"), 100, CudaDtype.F16);
        // 30.72e6 FLOP in 1 µs = 30.72 TFLOP/s; 614 400 B in 1 µs = 614.4 GB/s
        assertEquals(30.72, w.teraflops(0.001), 1e-9);
        assertEquals(614.4, w.gigabytes(0.001), 1e-9);
        assertEquals(0.03072, w.teraflops(1.0), 1e-12);
    }
}
