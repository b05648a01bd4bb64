package dev.attnc.compiler.kernels;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.testing.Gen;
import dev.attnc.runtime.testing.SeededTries;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random expressions of {@code keys} and {@code queries} sets (every item form: index lists
 * with negative ends, first/last tokens and blocks, {@code from input}) under {@code | & -}
 * with windows, block windows, causal and global terms, on the Java backend against the dense
 * reference (tolerance in {@link KernelHarness}), with random tiles, lengths 1..150, batch 1..2
 * (prefix lengths 0, n or in between per item), both layouts and padding.
 */
class KeySetRandomSpecProperties {

    record Draw(String spec, int n, String schedule, int batch, boolean blhd, boolean pad, long seed) {
        @Override
        public String toString() {
            return "n=" + n + " B=" + batch + " " + schedule + (blhd ? " blhd" : "") + (pad ? " padded" : "") + "\n"
                    + spec;
        }
    }

    @TestFactory
    Stream<DynamicTest> keySetKernelsMatchTheReference() {
        return SeededTries.forAll(40, 20261207L, KeySetRandomSpecProperties::draw, KeySetRandomSpecProperties::check);
    }

    static Draw draw(Gen g) {
        String mask = expr(g, 2);
        String spec = "pattern p { head_dim 16  block " + g.intBetween(1, 9) + "\n  " + mask + "\n}\n";
        String schedule = "qtile=" + g.intBetween(1, 40) + ",ktile=" + g.intBetween(1, 40);
        int n = g.chance(0.4) ? g.oneOf(1, 2, 3, 17, 64, 65) : g.intBetween(1, 150);
        return new Draw(spec, n, schedule, g.intBetween(1, 2), g.chance(0.5), g.chance(0.3), g.anyLong());
    }

    static void check(Draw d) {
        Pipeline.Result r = KernelHarness.compile(d.spec());
        PatternIR p = r.patterns().get(0);
        AttentionKernel k = KernelHarness.load(p, d.schedule());
        Case c = new Case(
                d.batch(),
                2,
                d.n(),
                d.blhd() ? TensorLayout.BLHD : TensorLayout.BHLD,
                d.pad(),
                false,
                false,
                0,
                d.seed());
        KernelHarness.compare(r.unit().orElseThrow(), p, k, c, 2f);
    }

    private static String expr(Gen g, int depth) {
        if (depth == 0 || g.chance(0.4)) {
            return leaf(g);
        }
        return "(" + expr(g, depth - 1) + " " + g.oneOf("|", "&", "-") + " " + expr(g, depth - 1) + ")";
    }

    private static String leaf(Gen g) {
        return switch (g.choose(8)) {
            case 0, 1, 2 -> "keys " + set(g);
            case 3, 4 -> "queries " + set(g);
            case 5 -> g.oneOf("causal", "full");
            case 6 -> "window " + g.intBetween(0, 20) + g.oneOf("", " before", " after");
            default -> g.oneOf("window 1 block", "global tokens [0, -1]", "window 3 blocks");
        };
    }

    private static String set(Gen g) {
        StringBuilder sb = new StringBuilder();
        int items = g.intBetween(1, 2);
        boolean input = false;
        for (int x = 0; x < items; x++) {
            String item = item(g);
            if (item.equals("from input") && input) {
                item = "[0]"; // 'from input' at most once per set (E043)
            }
            input |= item.equals("from input");
            sb.append(x > 0 ? g.oneOf(", ", " and ") : "").append(item);
        }
        return sb.toString();
    }

    private static String item(Gen g) {
        return switch (g.choose(7)) {
            case 0 -> {
                int a = g.intBetween(0, 40);
                yield "[" + a + ".." + (a + g.intBetween(0, 40)) + "]";
            }
            case 1 -> "[" + -g.intBetween(1, 30) + "..-1]";
            case 2 -> "first " + g.intBetween(1, 30) + " tokens";
            case 3 -> "last " + g.intBetween(1, 30) + " tokens";
            case 4 -> g.oneOf("first 1 block", "last 2 blocks", "blocks [1..-2]", "blocks [-1]");
            case 5 -> "tokens [" + g.intBetween(0, 9) + ", " + -g.intBetween(1, 9) + "]";
            default -> "from input";
        };
    }
}
