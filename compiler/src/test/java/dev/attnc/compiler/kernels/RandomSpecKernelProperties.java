package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.testing.SeededTries;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random specs over the whole mask language (token and block windows with both sides,
 * dilation, causal, full, every kind of global set including runtime ones, seeded and
 * explicit random blocks, per-head values and scoped overrides, all three set operators
 * nested; score modifiers in a quarter of the tries: alibi, softcap, per-head scale, from
 * RandomSpecs.withScoreMods), random shapes (n 1..300 with primes, 1-3 heads and batch items, d 16 or 32, both
 * layouts, padding, runtime globals, global projections, k and v with 1 or H kv heads, with or
 * without {@code kv_heads} in the spec) and random schedules (tiles that
 * divide nothing; register blocks of 1-10 rows × 1-4 vectors of 128, 256 or 512 bits, so
 * blocks wider than a chunk, head dims that are not a multiple of a block, and tail blocks of
 * every height): the generated kernel against the dense reference, tolerance as in
 * {@link KernelHarness}. A spec that does not compile skips its try.
 */
class RandomSpecKernelProperties {

    /** The arguments of a try: the seed of everything but the length, and the length. */
    record Draw(long seed, int n) {}

    @TestFactory
    Stream<DynamicTest> generatedKernelsMatchTheReference() {
        return SeededTries.forAll(
                300,
                20261123L,
                g -> new Draw(g.longBetween(0, Long.MAX_VALUE / 2), g.intBetween(1, 300)),
                d -> kernelMatches(d.seed(), d.n()));
    }

    static void kernelMatches(long seed, int n) {
        Random rnd = new Random(seed);
        int heads = 1 + rnd.nextInt(3);
        String spec = RandomSpecs.withScoreMods(RandomSpecs.randomSpec(rnd, heads), new Random(seed ^ 0x5c0e5L), heads);
        // Grouped-query attention from a generator of its own (the other draws stay the seed's):
        // k, v with 1 or H kv heads, written into the spec as kv_heads half of the time.
        Random kvRnd = new Random(seed ^ 0x6a5L);
        int kvHeads = kvRnd.nextBoolean() ? 1 : heads;
        if (kvRnd.nextBoolean()) {
            spec = spec.replaceFirst(
                    "\n  heads " + heads + "\n", "\n  heads " + heads + "\n  kv_heads " + kvHeads + "\n");
        }
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("random.attn", spec));
        assumeTrue(r.ok(), () -> "the spec does not compile: " + r.diagnostics().render());
        PatternIR p = r.patterns().get(0);
        String schedule = "qtile=" + (1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 70)) + ",ktile=" + (1 + rnd.nextInt(70))
                + ",grain=" + (1 + rnd.nextInt(3)) + registerBlock(new Random(seed ^ 0x5eedL));
        AttentionKernel k = KernelHarness.load(p, schedule);
        Case c = new Case(
                1 + rnd.nextInt(3),
                heads,
                n,
                rnd.nextBoolean() ? TensorLayout.BHLD : TensorLayout.BLHD,
                rnd.nextBoolean(),
                rnd.nextBoolean(),
                rnd.nextInt(4) == 0,
                0,
                seed);
        try {
            KernelHarness.compare(
                    r.unit().orElseThrow(), p, k::compute, c, 2f, kvHeads, KernelHarness.ABS, KernelHarness.REL, "");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nspec: " + spec + "\nschedule: " + schedule, e);
        }
    }

    /**
     * {@code ,rows=…,vecs=…,bits=…}, drawn from their own generator so that the other fields of
     * a try are those of the seed before these were drawn. A width beyond this machine's runs
     * the generic micro-kernel (the kernel's fallback), which is tested too.
     */
    static String registerBlock(Random rnd) {
        int rows = 1 + rnd.nextInt(10);
        int vecs = 1 + rnd.nextInt(Math.min(4, 32 / rows));
        int bits = 128 << rnd.nextInt(3);
        return ",rows=" + rows + ",vecs=" + vecs + ",bits=" + bits;
    }
}
