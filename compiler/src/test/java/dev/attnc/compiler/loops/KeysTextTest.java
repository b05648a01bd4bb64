package dev.attnc.compiler.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The loop IR's key sets as dump and comment text, and what a pair test reads. */
class KeysTextTest {

    /** (window 2 before, p0 after | global g0) - (block window 1, 0 of 64 & random r1 of 16). */
    static final Keys MIXED = new Keys.Difference(
            new Keys.Union(List.of(
                    new Keys.Window(new Operand.Const(2), new Operand.Slot(0), new Operand.Const(1)),
                    new Keys.Global(0))),
            new Keys.Intersect(
                    new Keys.BlockWindow(64, new Operand.Const(1), new Operand.Const(0)), new Keys.Random(16, 1)));

    /** The same expression the Java and CUDA visitors print. */
    static final String MIXED_MASK = "((j - i >= -2 && j - i <= p0) || (g0.contains(i) || g0.contains(j))) && "
            + "!(((j / 64 >= i / 64 - 1 && j / 64 <= i / 64) && r1.has(i / 16, j / 16)))";

    static final Keys DILATED = new Keys.Window(new Operand.Slot(0), new Operand.Const(0), new Operand.Slot(1));

    @Test
    void describeReadsTheSetAlgebra() {
        assertEquals(
                "((window 2 before, p0 after | global set g0) - (block window 1 before, 0 after (block 64)"
                        + " & random blocks r1 (block 16)))",
                KeysText.describe(MIXED));
        assertEquals("window p0 before, 0 after, dilation p1", KeysText.describe(DILATED));
    }

    @Test
    void coverAsTheDumpWritesIt() {
        assertEquals(
                "difference(union(window(2, p0), global(g0)), intersect(block_window(64: 1, 0), random(16: r1)))",
                KeysText.cover(MIXED));
        assertEquals("window(p0, 0, dilation p1)", KeysText.cover(DILATED));
        assertEquals("union(causal, all)", KeysText.cover(new Keys.Union(List.of(new Keys.Causal(), new Keys.Full()))));
    }

    @Test
    void maskParenthesisesOperandsButNotTheWholeTest() {
        assertEquals(MIXED_MASK, KeysText.mask(MIXED));
        assertEquals("(j - i) % p1 == 0 && j - i >= -p0 * p1 && j - i <= 0", KeysText.mask(DILATED));
        assertEquals(
                "(j - i) % 2 == 0 && j - i >= -6 && j - i <= 8",
                KeysText.mask(new Keys.Window(new Operand.Const(3), new Operand.Const(4), new Operand.Const(2))));
        assertEquals("j <= i && true", KeysText.mask(new Keys.Intersect(new Keys.Causal(), new Keys.Full())));
    }

    @Test
    void readsListsSlotsSetsAndTablesInOrder() {
        KeyReads r = KeyReads.of(new Keys.Union(List.of(MIXED, DILATED, new Keys.Global(3))));
        assertEquals(Set.of(0, 1), r.params());
        assertEquals(List.of(0, 3), List.copyOf(r.globals()));
        assertEquals(Set.of(1), r.randoms());
        assertTrue(KeyReads.of(new Keys.Causal()).isEmpty());
    }

    @Test
    void operandsFoldConstants() {
        assertEquals("-5", Operand.negated(new Operand.Const(5)));
        assertEquals("-p2", Operand.negated(new Operand.Slot(2)));
        assertEquals("0", Operand.product(new Operand.Slot(2), new Operand.Const(0)));
        assertEquals("12", Operand.product(new Operand.Const(3), new Operand.Const(4)));
        assertEquals("p2 * 4", Operand.product(new Operand.Slot(2), new Operand.Const(4)));
    }
}
