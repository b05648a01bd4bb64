package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The progression algebra on hand cases, each checked against plain integer sets. */
class RowSetTest {

    private static RowSet prog(long first, long count, long stride) {
        return RowSet.of(new Piece(first, count, stride));
    }

    private static TreeSet<Long> elements(RowSet s) {
        TreeSet<Long> out = new TreeSet<>();
        for (Piece p : s.pieces()) {
            for (long k = 0; k < p.count(); k++) {
                out.add(p.first() + k * p.stride());
            }
        }
        return out;
    }

    private static TreeSet<Long> set(RowSet s) {
        return elements(s);
    }

    @Test
    void mixedStridesIntersectByCrt() {
        RowSet evens = prog(0, 50, 2);
        RowSet threes = prog(1, 40, 3); // 1, 4, 7, …
        TreeSet<Long> want = new TreeSet<>(set(evens));
        want.retainAll(set(threes));
        assertEquals(want, set(evens.intersect(threes)));
        assertEquals("{4..94 step 6}", evens.intersect(threes).toString());
        assertEquals(0, prog(0, 10, 2).intersect(prog(1, 10, 2)).count());
    }

    @Test
    void differenceSplitsResidues() {
        RowSet a = prog(3, 30, 2); // odd numbers 3..61
        RowSet b = prog(0, 20, 3); // 0..57 step 3
        TreeSet<Long> want = new TreeSet<>(set(a));
        want.removeAll(set(b));
        RowSet d = a.minus(b);
        assertEquals(want, set(d));
        assertEquals(want.size(), d.count());
        RowSet u = a.union(b);
        TreeSet<Long> all = new TreeSet<>(set(a));
        all.addAll(set(b));
        assertEquals(all, set(u));
        assertEquals(all.size(), u.count(), "a union counts no key twice");
    }

    @Test
    void hugeCoprimeStridesFallBackToPoints() {
        RowSet a = prog(0, 5, 1_000_003);
        RowSet b = prog(7, 5, 999_983);
        TreeSet<Long> want = new TreeSet<>(set(a));
        want.removeAll(set(b));
        assertEquals(want, set(a.minus(b)));
        assertEquals(0, a.intersect(b).count());
    }

    @Test
    void emptyAndSingletons() {
        assertEquals(0, RowSet.EMPTY.union(RowSet.EMPTY).count());
        assertEquals(1, RowSet.interval(0, 1).count());
        assertEquals(0, RowSet.interval(0, 1).minus(prog(0, 1, 5)).count());
        assertEquals(1, prog(4, 1, 9).intersect(RowSet.interval(0, 10)).count());
    }

    @Test
    void countInAHalfOpenRange() {
        RowSet s = prog(1, 10, 3).union(RowSet.interval(40, 45)); // 1, 4, …, 28 and 40..44
        assertEquals(15, s.count());
        assertEquals(15, s.count(0, 100));
        assertEquals(2, s.count(4, 10), "4 and 7");
        assertEquals(0, s.count(29, 40));
        assertEquals(1, s.count(44, 45));
        assertEquals(0, s.count(10, 10));
        assertEquals(0, RowSet.EMPTY.count(0, 5));
    }

    @Test
    void mixedStridesTwoAndThreeAgainstIntegerSets() {
        for (int f1 = 0; f1 < 6; f1++) {
            for (int f2 = 0; f2 < 6; f2++) {
                for (int c1 = 1; c1 < 9; c1 += 3) {
                    for (int c2 = 1; c2 < 9; c2 += 2) {
                        RowSet a = prog(f1, c1, 2);
                        RowSet b = prog(f2, c2, 3).union(RowSet.interval(f2 + 20, f2 + 23));
                        TreeSet<Long> and = new TreeSet<>(set(a));
                        and.retainAll(set(b));
                        TreeSet<Long> minus = new TreeSet<>(set(a));
                        minus.removeAll(set(b));
                        TreeSet<Long> bMinusA = new TreeSet<>(set(b));
                        bMinusA.removeAll(set(a));
                        TreeSet<Long> or = new TreeSet<>(set(a));
                        or.addAll(set(b));
                        String at = f1 + "," + f2 + "," + c1 + "," + c2;
                        assertEquals(and, set(a.intersect(b)), at);
                        assertEquals(minus, set(a.minus(b)), at);
                        assertEquals(bMinusA, set(b.minus(a)), at);
                        assertEquals(or, set(a.union(b)), at);
                        assertEquals(or.size(), a.union(b).count(), at);
                        assertEquals(bMinusA.size(), b.minus(a).count(), at + " pieces stay disjoint");
                    }
                }
            }
        }
    }
}
