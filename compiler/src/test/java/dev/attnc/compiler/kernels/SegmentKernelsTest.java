package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.testing.SeededTries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code segments from input} (document masking of packed sequences) combined with every kind
 * of term: the Java kernel against the dense reference (tolerance in {@link KernelHarness}) on
 * lengths 1 to 300 (odd ones, 1, not multiples of the tiles), batches of 1 to 3 items packed
 * differently ({@link KernelHarness#packing}: random lengths, one segment, one token per
 * segment, length-1 runs with ids recurring in runs that are not adjacent, arbitrary ids), both
 * layouts, with and without padding ({@code key_valid}) and run-time globals; plus random specs
 * of the whole language intersected with the segments.
 */
class SegmentKernelsTest {

    static final String SPEC = """
            pattern seg_only { head_dim 8  segments from input }
            pattern seg_causal { head_dim 8  causal & segments from input }
            pattern seg_window { head_dim 16  window 5 & segments from input }
            pattern seg_longformer { head_dim 8  (window 4 each side | global tokens [0] and from input) & segments from input }
            pattern seg_dilated { head_dim 8  segments from input & window 3 dilation 2 }
            pattern seg_streaming { head_dim 8  causal & (window 6 before | global first 2 tokens) & segments from input }
            pattern seg_blocks { head_dim 8  block 4  window 3 blocks & segments from input | global tokens [-1] }
            pattern seg_minus { head_dim 8  causal - segments from input }
            pattern seg_per_head { head_dim 8  heads 2  segments from input & window [2, 7] per head before }
            """;

    static final int[] LENGTHS = {1, 2, 3, 5, 16, 17, 31, 64, 65, 100, 129, 300};

    @TestFactory
    Stream<DynamicTest> segmentKernelsMatchTheReference() {
        Pipeline.Result r = KernelHarness.compile(SPEC);
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : r.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                AttentionKernel k = KernelHarness.load(p);
                long seed = p.name().hashCode();
                for (int n : LENGTHS) {
                    for (int variant = 0; variant < 2; variant++) {
                        long s = seed + 31L * n + variant;
                        int batch = n >= 100 ? 1 + variant : 1 + (int) Math.floorMod(s, 3);
                        int heads = p.heads().orElse(n >= 100 ? 1 : 2);
                        boolean pad = variant == 1 || n % 2 == 1;
                        boolean globals = n % 3 != 0;
                        TensorLayout layout = (n + variant) % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD;
                        KernelHarness.compare(
                                r.unit().orElseThrow(),
                                p,
                                k,
                                new Case(batch, heads, n, layout, pad, globals, false, 0, s),
                                2f);
                    }
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void aCallWithoutSegmentIdsNamesTheInputAndItsShape() {
        PatternIR p = KernelHarness.compile("pattern packed { head_dim 8  causal & segments from input }")
                .patterns()
                .get(0);
        AttentionKernel k = KernelHarness.load(p);
        AttentionShape s = new AttentionShape(2, 1, 5, 8);
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(new float[s.elements()], new float[s.elements()], new float[s.elements()])
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.compute(in));
        assertEquals(
                "segmentIds is missing: pattern 'packed' uses 'segments from input'; expected int[B, L] = [2, 5]",
                e.getMessage());
    }

    /**
     * Random specs of {@link RandomSpecs} (every term, operator, dilation and override) with
     * their mask intersected with {@code segments from input}, under random schedules (tile
     * sizes that split segments anywhere), against the reference: 30 seeded tries, n in 1..200.
     */
    @TestFactory
    Stream<DynamicTest> randomSpecsWithinSegmentsMatchTheReference() {
        return SeededTries.forAll(
                30,
                20261207L,
                g -> new long[] {g.longBetween(0, Long.MAX_VALUE / 2), g.intBetween(1, 200)},
                d -> randomSpecMatches(d[0], (int) d[1]));
    }

    static void randomSpecMatches(long seed, int n) {
        Random rnd = new Random(seed);
        int heads = 1 + rnd.nextInt(2);
        String spec = withinSegments(RandomSpecs.randomSpec(rnd, heads));
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("random.attn", spec));
        assumeTrue(r.ok(), "the spec does not compile");
        PatternIR p = r.patterns().get(0);
        String schedule = "qtile=" + (1 + rnd.nextInt(40)) + ",ktile=" + (1 + rnd.nextInt(40));
        AttentionKernel k = KernelHarness.load(p, schedule);
        Case c = new Case(
                1 + rnd.nextInt(3),
                heads,
                n,
                rnd.nextBoolean() ? TensorLayout.BHLD : TensorLayout.BLHD,
                rnd.nextBoolean(),
                rnd.nextBoolean(),
                false,
                0,
                seed);
        try {
            KernelHarness.compare(r.unit().orElseThrow(), p, k, c, 2f);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nspec: " + spec + "\nschedule: " + schedule, e);
        }
    }

    /** The spec with its first mask statement (the line after {@code block}) intersected with the segments. */
    static String withinSegments(String spec) {
        String[] lines = spec.split("\n", -1);
        for (int x = 0; x + 1 < lines.length; x++) {
            if (lines[x].trim().startsWith("block ")) {
                lines[x + 1] = "  (" + lines[x + 1].trim() + ") & segments from input";
                break;
            }
        }
        return String.join("\n", lines);
    }
}
