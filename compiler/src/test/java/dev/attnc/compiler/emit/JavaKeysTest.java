package dev.attnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.loops.Keys;
import dev.attnc.compiler.loops.KeysText;
import dev.attnc.compiler.loops.Operand;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java visitors over the loop IR's key sets: a Keys tree in, a JavaPoet CodeBlock out. */
class JavaKeysTest {

    /** (window 2 before, p0 after | global g0) - (block window 1, 0 of 64 & random r1 of 16). */
    private static final Keys MIXED = new Keys.Difference(
            new Keys.Union(List.of(
                    new Keys.Window(new Operand.Const(2), new Operand.Slot(0), new Operand.Const(1)),
                    new Keys.Global(0))),
            new Keys.Intersect(
                    new Keys.BlockWindow(64, new Operand.Const(1), new Operand.Const(0)), new Keys.Random(16, 1)));

    private static final String COVER = "dev.attnc.runtime.kernel.KeyCover";

    @Test
    void maskIsOneBooleanExpression() {
        assertEquals(
                "((j - i >= -2 && j - i <= p0) || (g0.contains(i) || g0.contains(j))) && "
                        + "!(((j / 64 >= i / 64 - 1 && j / 64 <= i / 64) && r1.has(i / 16, j / 16)))",
                JavaKeys.mask(MIXED).toString());
        assertEquals(
                "(j - i) % p1 == 0 && j - i >= -p0 * p1 && j - i <= 0",
                JavaKeys.mask(new Keys.Window(new Operand.Slot(0), new Operand.Const(0), new Operand.Slot(1)))
                        .toString());
        assertEquals("true", JavaKeys.mask(new Keys.Full()).toString());
    }

    @Test
    void maskIsTheTextOfTheLoopDump() {
        assertEquals(KeysText.mask(MIXED), JavaKeys.mask(MIXED).toString());
    }

    @Test
    void coverIsOneLocalPerNodeOperandsFirst() {
        assertEquals(
                ""
                        + COVER + " k0 = " + COVER + ".window(n, first, stride, count, 2, c.p[0], 1);\n"
                        + COVER + " k1 = " + COVER + ".global(n, first, stride, count, c.g[0]);\n"
                        + COVER + " k2 = " + COVER + ".union(k0, k1);\n"
                        + COVER + " k3 = " + COVER + ".blockWindow(n, first, stride, count, 64, 1, 0);\n"
                        + COVER + " k4 = " + COVER + ".random(n, first, stride, count, 16, c.r[1]);\n"
                        + COVER + " k5 = " + COVER + ".intersect(k3, k4);\n"
                        + COVER + " k6 = " + COVER + ".difference(k2, k5);\n"
                        + "return k6;\n",
                JavaKeys.cover(MIXED).toString());
    }

    @Test
    void coverOfOneTermAndOfALongUnion() {
        assertEquals(
                COVER + " k0 = " + COVER + ".causal(n, first, stride, count);\nreturn k0;\n",
                JavaKeys.cover(new Keys.Causal()).toString());
        assertEquals(
                ""
                        + COVER + " k0 = " + COVER + ".causal(n, first, stride, count);\n"
                        + COVER + " k1 = " + COVER + ".all(n);\n"
                        + COVER + " k2 = " + COVER + ".union(k0, k1);\n"
                        + COVER + " k3 = " + COVER + ".global(n, first, stride, count, c.g[2]);\n"
                        + COVER + " k4 = " + COVER + ".union(k2, k3);\n"
                        + "return k4;\n",
                JavaKeys.cover(new Keys.Union(List.of(new Keys.Causal(), new Keys.Full(), new Keys.Global(2))))
                        .toString());
    }
}
