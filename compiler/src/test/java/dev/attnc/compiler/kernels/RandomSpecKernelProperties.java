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
        String spec = randomSpec(rnd, heads);
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

    static String randomSpec(Random rnd, int heads) {
        int block = 1 + rnd.nextInt(20);
        int d = rnd.nextBoolean() ? 16 : 32;
        StringBuilder sb = new StringBuilder("pattern p {\n  head_dim ").append(d).append("\n  heads ").append(heads)
                .append("\n  block ").append(block).append('\n');
        sb.append("  ").append(expr(rnd, 0, heads)).append('\n');
        if (rnd.nextInt(4) == 0) {
            sb.append("  ").append(expr(rnd, 1, heads)).append('\n');
        }
        if (rnd.nextInt(5) == 0) {
            sb.append("  dilation ").append(1 + rnd.nextInt(3)).append(" on heads 0\n");
        }
        return sb.append("}\n").toString();
    }

    private static String expr(Random rnd, int depth, int heads) {
        if (depth < 3 && rnd.nextInt(3) > 0) {
            String op = switch (rnd.nextInt(3)) {
                case 0 -> " | ";
                case 1 -> " & ";
                default -> " - ";
            };
            return "(" + expr(rnd, depth + 1, heads) + op + expr(rnd, depth + 1, heads) + ")";
        }
        return term(rnd, heads);
    }

    private static String term(Random rnd, int heads) {
        switch (rnd.nextInt(10)) {
            case 0:
            case 1: {
                String amount = heads > 1 && rnd.nextInt(4) == 0 ? perHead(rnd, heads, 6) : Integer.toString(size(rnd));
                String sides = switch (rnd.nextInt(4)) {
                    case 0 -> "";
                    case 1 -> " before";
                    case 2 -> " after";
                    default -> " before, " + size(rnd) + " after";
                };
                String dil = rnd.nextInt(3) == 0 ? " dilation " + (2 + rnd.nextInt(2)) : "";
                return "window " + amount + sides + dil;
            }
            case 2:
                return switch (rnd.nextInt(3)) {
                    case 0 -> "window " + (1 + 2 * rnd.nextInt(2)) + " blocks";
                    case 1 -> "window " + rnd.nextInt(2) + " blocks before";
                    default -> "window 1 block after";
                };
            case 3:
                return "causal";
            case 4:
                return rnd.nextInt(3) == 0 ? "full" : "causal";
            case 5:
                return "global tokens [" + rnd.nextInt(5) + ", " + (-1 - rnd.nextInt(3)) + "]";
            case 6:
                return switch (rnd.nextInt(4)) {
                    case 0 -> "global first " + (1 + rnd.nextInt(3)) + " tokens, last 1 token";
                    case 1 -> "global first 1 block, last 1 block";
                    case 2 -> "global blocks [0, -1]";
                    default -> "global from input";
                };
            case 7:
                return "global tokens [" + rnd.nextInt(4) + "] and from input";
            case 8:
                return "random " + rnd.nextInt(3) + " blocks per row, seed " + rnd.nextInt(1000);
            default:
                return "random blocks from input";
        }
    }

    /** Small windows (every tile partial) and wide ones (tiles with a full interior). */
    private static int size(Random rnd) {
        return rnd.nextBoolean() ? rnd.nextInt(9) : 10 + rnd.nextInt(60);
    }

    private static String perHead(Random rnd, int heads, int max) {
        StringBuilder sb = new StringBuilder("[");
        for (int h = 0; h < heads; h++) {
            sb.append(h > 0 ? ", " : "").append(rnd.nextInt(max));
        }
        return sb.append("] per head").toString();
    }
}
