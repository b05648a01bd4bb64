package dev.attnc.compiler.kernels;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Random specs over the whole mask language (token and block windows with both sides,
 * dilation, causal, full, every kind of global set including runtime ones, seeded and
 * explicit random blocks, per-head values and scoped overrides, all three set operators
 * nested), random shapes (n 1..300 with primes, 1-3 heads and batch items, d 16 or 32, both
 * layouts, padding, runtime globals, global projections) and random schedules (tiles that
 * divide nothing): the generated kernel against the dense reference, tolerance as in
 * {@link KernelHarness}.
 */
class RandomSpecKernelProperties {

    @Property(tries = 300, seed = "20261123")
    void generatedKernelsMatchTheReference(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed,
                                           @ForAll @IntRange(min = 1, max = 300) int n) {
        Random rnd = new Random(seed);
        int heads = 1 + rnd.nextInt(3);
        String spec = RandomSpecs.randomSpec(rnd, heads);
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("random.attn", spec));
        Assume.that(r.ok());
        PatternIR p = r.patterns().get(0);
        String schedule = "qtile=" + (1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 70)) + ",ktile=" + (1 + rnd.nextInt(70)) + ",grain="
                + (1 + rnd.nextInt(3));
        AttentionKernel k = KernelHarness.load(p, schedule);
        Case c = new Case(1 + rnd.nextInt(3), heads, n, rnd.nextBoolean() ? TensorLayout.BHLD : TensorLayout.BLHD,
                rnd.nextBoolean(), rnd.nextBoolean(), rnd.nextInt(4) == 0, 0, seed);
        try {
            KernelHarness.compare(r.unit().orElseThrow(), p, k, c, 2f);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nspec: " + spec + "\nschedule: " + schedule, e);
        }
    }
}
