package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One kernel instance used by several threads at once, on different inputs (lengths, layouts,
 * padding, runtime globals, random tables of different lengths): every result equals the one
 * the same call gives alone. Kernels keep no per-call state outside the call.
 */
class KernelConcurrencyTest {

    @Test
    void oneKernelServesConcurrentCallsWithTheirOwnResults() throws Exception {
        Pipeline.Result r = KernelHarness.compile("""
                pattern p { head_dim 32  block 16  window 40 dilation [1, 2] per head  heads 2
                            global tokens [0] and from input  random 2 blocks per row, seed 5 }
                """);
        PatternIR p = r.patterns().get(0);
        AttentionKernel k = KernelHarness.load(p);
        List<AttentionInputs> inputs = new ArrayList<>();
        for (int x = 0; x < 12; x++) {
            int n = 50 + 97 * x;
            inputs.add(KernelHarness.inputs(
                    p,
                    new Case(
                            1 + x % 3,
                            2,
                            n,
                            x % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD,
                            x % 3 == 0,
                            x % 4 != 0,
                            false,
                            0,
                            x),
                    2f));
        }
        List<float[]> alone = new ArrayList<>();
        for (AttentionInputs in : inputs) {
            alone.add(k.compute(in));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<float[]>> futures = new ArrayList<>();
                for (AttentionInputs in : inputs) {
                    futures.add(pool.submit(() -> k.compute(in)));
                }
                for (int x = 0; x < inputs.size(); x++) {
                    assertArrayEquals(alone.get(x), futures.get(x).get(), "call " + x + " in round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
