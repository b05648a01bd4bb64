package dev.attnc.compiler.analysis;

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
        RowSet threes = prog(1, 40, 3);  // 1, 4, 7, …
        TreeSet<Long> want = new TreeSet<>(set(evens));
        want.retainAll(set(threes));
        assertEquals(want, set(evens.intersect(threes)));
        assertEquals("{4..94 step 6}", evens.intersect(threes).toString());
        assertEquals(0, prog(0, 10, 2).intersect(prog(1, 10, 2)).count());
    }

    @Test
    void differenceSplitsResidues() {
        RowSet a = prog(3, 30, 2);   // odd numbers 3..61
        RowSet b = prog(0, 20, 3);   // 0..57 step 3
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
}
