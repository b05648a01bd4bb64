package dev.attnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.loops.Keys;
import dev.attnc.compiler.loops.Operand;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CUDA visitors over the loop IR's key sets: a Keys tree in, lines through CudaWriter out. */
class CudaKeysTest {

    /** (window 2 before, p0 after | global g0) - (block window 1, 0 of 64 & random r1 of 16). */
    private static final Keys MIXED = new Keys.Difference(
            new Keys.Union(List.of(
                    new Keys.Window(new Operand.Const(2), new Operand.Slot(0), new Operand.Const(1)),
                    new Keys.Global(0))),
            new Keys.Intersect(
                    new Keys.BlockWindow(64, new Operand.Const(1), new Operand.Const(0)), new Keys.Random(16, 1)));

    private static String cover(Keys keys) {
        CudaWriter w = new CudaWriter();
        CudaKeys.coverLocals(w, keys);
        CudaKeys.cover(w, keys);
        return w.toString();
    }

    @Test
    void coverDeclaresItsLocalsAndWritesTheRootToOut() {
        assertEquals("""
                attnc::Cover k0, k1, k2, k3, k4, k5;
                attnc::window(k0, n, first, stride, rows, 2, c.p(0), 1);
                attnc::global(k1, n, first, stride, rows, c.g(0));
                attnc::unite(k2, k0, k1);
                attnc::blockWindow(k3, n, first, stride, rows, 64, 1, 0);
                attnc::random(k4, n, first, stride, rows, 16, c.r(1));
                attnc::intersect(k5, k3, k4);
                attnc::difference(out, k2, k5);
                """, cover(MIXED));
    }

    @Test
    void coverOfOneTermAndOfALongUnion() {
        assertEquals("attnc::causal(out, n, first, stride, rows);\n", cover(new Keys.Causal()));
        assertEquals("""
                attnc::Cover k0, k1, k2, k3;
                attnc::causal(k0, n, first, stride, rows);
                attnc::all(k1, n);
                attnc::unite(k2, k0, k1);
                attnc::global(k3, n, first, stride, rows, c.g(2));
                attnc::unite(out, k2, k3);
                """, cover(new Keys.Union(List.of(new Keys.Causal(), new Keys.Full(), new Keys.Global(2)))));
    }

    @Test
    void maskIsTheJavaKernelsExpression() {
        CudaWriter w = new CudaWriter();
        w.open("bool mask()");
        CudaKeys.returnMask(w, MIXED);
        w.close();
        assertEquals("bool mask() {\n    return " + JavaKeys.mask(MIXED) + ";\n}\n", w.toString());
        assertEquals("""
                bool mask() {
                    return ((j - i >= -2 && j - i <= p0) || (g0.contains(i) || g0.contains(j))) \
                && !(((j / 64 >= i / 64 - 1 && j / 64 <= i / 64) && r1.has(i / 16, j / 16)));
                }
                """, w.toString());
    }

    @Test
    void maskOfADilatedWindowAndOfAllKeys() {
        CudaWriter w = new CudaWriter();
        CudaKeys.returnMask(w, new Keys.Window(new Operand.Slot(0), new Operand.Const(0), new Operand.Slot(1)));
        CudaKeys.returnMask(w, new Keys.Full());
        assertEquals("return (j - i) % p1 == 0 && j - i >= -p0 * p1 && j - i <= 0;\nreturn true;\n", w.toString());
    }
}
