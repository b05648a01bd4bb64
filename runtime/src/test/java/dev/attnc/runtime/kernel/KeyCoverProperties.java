package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.attnc.runtime.SegmentRuns;
import dev.attnc.runtime.testing.SeededTries;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link KeyCover} against the pair predicates it covers, for random row groups and random
 * expressions of every primitive under the three set operators: (1) every allowed pair lies
 * in a segment; (2) in a full segment every row of the group attends every key; plus the
 * structural invariants (sorted disjoint hulls, {@code hi ≡ lo mod stride}, within the sequence).
 */
class KeyCoverProperties {

    /** A term: its cover for a row group, and its pair predicate. */
    private interface Term {
        KeyCover cover(int n, int first, int stride, int count);

        boolean allowed(int i, int j);
    }

    @TestFactory
    Stream<DynamicTest> coversAreConservativeAndFullSegmentsExact() {
        return SeededTries.forAll(3000, 42, g -> g.longBetween(0, 1L << 40), KeyCoverProperties::coverMatches);
    }

    static void coverMatches(long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 300);
        Term t = term(rnd, n, 0);
        int stride = 1 + rnd.nextInt(4);
        int first = rnd.nextInt(n);
        int count = 1 + rnd.nextInt(Math.max(1, Math.min(70, (n - 1 - first) / stride + 1)));
        KeyCover c = t.cover(n, first, stride, count);
        check(c, t, n, first, stride, count);
    }

    static void check(KeyCover c, Term t, int n, int first, int stride, int count) {
        boolean[] inCover = new boolean[n];
        boolean[] full = new boolean[n];
        int prevHi = -1;
        for (int s = 0; s < c.size(); s++) {
            assertTrue(c.lo(s) > prevHi && c.lo(s) <= c.hi(s) && c.hi(s) < n && c.lo(s) >= 0, () -> "bad hulls " + c);
            assertEquals(0, (c.hi(s) - c.lo(s)) % c.stride(s), () -> "hi not on the progression: " + c);
            prevHi = c.hi(s);
            for (int j = c.lo(s); j <= c.hi(s); j += c.stride(s)) {
                inCover[j] = true;
                full[j] = c.full(s);
            }
        }
        for (int r = 0; r < count; r++) {
            int i = first + stride * r;
            for (int j = 0; j < n; j++) {
                boolean a = t.allowed(i, j);
                if (a && !inCover[j]) {
                    fail("pair (" + i + ", " + j + ") allowed but not covered: " + c + " rows " + first + "+" + stride
                            + "·[0," + count + ")");
                }
                if (full[j] && !a) {
                    fail("pair (" + i + ", " + j + ") in a full segment but not allowed: " + c + " rows " + first + "+"
                            + stride + "·[0," + count + ")");
                }
            }
        }
    }

    private static Term term(Random rnd, int n, int depth) {
        if (depth < 3 && rnd.nextInt(5) < 2) {
            Term a = term(rnd, n, depth + 1);
            Term b = term(rnd, n, depth + 1);
            int op = rnd.nextInt(3);
            return new Term() {
                public KeyCover cover(int nn, int f, int s, int c) {
                    KeyCover x = a.cover(nn, f, s, c);
                    KeyCover y = b.cover(nn, f, s, c);
                    return op == 0
                            ? KeyCover.union(x, y)
                            : op == 1 ? KeyCover.intersect(x, y) : KeyCover.difference(x, y);
                }

                public boolean allowed(int i, int j) {
                    return op == 0
                            ? a.allowed(i, j) || b.allowed(i, j)
                            : op == 1 ? a.allowed(i, j) && b.allowed(i, j) : a.allowed(i, j) && !b.allowed(i, j);
                }
            };
        }
        switch (rnd.nextInt(10)) {
            case 9: {
                int[] ids = new int[n];
                int pool = 1 + rnd.nextInt(4);
                for (int x = 0; x < n; x++) {
                    ids[x] = x > 0 && rnd.nextInt(3) != 0 ? ids[x - 1] : rnd.nextInt(pool);
                }
                SegmentRuns seg = SegmentRuns.of(ids, 0, n);
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.segments(nn, f, s, c, seg);
                    }

                    public boolean allowed(int i, int j) {
                        return ids[i] == ids[j];
                    }
                };
            }
            case 0: {
                int before = rnd.nextBoolean() ? rnd.nextInt(6) : rnd.nextInt(80);
                int after = rnd.nextBoolean() ? rnd.nextInt(6) : rnd.nextInt(80);
                int dil = 1 + rnd.nextInt(4);
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.window(nn, f, s, c, before, after, dil);
                    }

                    public boolean allowed(int i, int j) {
                        int d = j - i;
                        return d % dil == 0 && d / dil >= -before && d / dil <= after;
                    }
                };
            }
            case 1: {
                int block = 1 + rnd.nextInt(20);
                int before = rnd.nextInt(3);
                int after = rnd.nextInt(3);
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.blockWindow(nn, f, s, c, block, before, after);
                    }

                    public boolean allowed(int i, int j) {
                        return j / block >= i / block - before && j / block <= i / block + after;
                    }
                };
            }
            case 2:
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.causal(nn, f, s, c);
                    }

                    public boolean allowed(int i, int j) {
                        return j <= i;
                    }
                };
            case 3:
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.all(nn);
                    }

                    public boolean allowed(int i, int j) {
                        return true;
                    }
                };
            case 4:
            case 5: {
                GlobalSet.Builder b = GlobalSet.builder(n);
                int parts = rnd.nextInt(4);
                for (int p = 0; p < parts; p++) {
                    switch (rnd.nextInt(5)) {
                        case 0 -> b.tokens(rnd.nextInt(n + 3) - 3, rnd.nextInt(n + 3) - 3);
                        case 1 -> b.blocks(1 + rnd.nextInt(10), rnd.nextInt(6) - 3, rnd.nextInt(6) - 3);
                        case 2 -> b.first(rnd.nextInt(3), rnd.nextInt(4));
                        case 3 -> b.last(rnd.nextInt(3), rnd.nextInt(4));
                        default -> {
                            boolean[] m = new boolean[n + 5];
                            for (int x = 0; x < m.length; x++) {
                                m[x] = rnd.nextInt(8) == 0;
                            }
                            b.mask(m, 5);
                        }
                    }
                }
                GlobalSet g = b.build();
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.global(nn, f, s, c, g);
                    }

                    public boolean allowed(int i, int j) {
                        return g.contains(i) || g.contains(j);
                    }
                };
            }
            case 7:
            case 8: {
                // keys S / queries S, one range [lo, hi), ends possibly outside 0..n
                boolean queries = rnd.nextBoolean();
                long lo = rnd.nextInt(n + 6) - 3;
                long hi = rnd.nextInt(n + 6) - 3;
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return queries ? KeyCover.queryRange(nn, f, s, c, lo, hi) : KeyCover.keyRange(nn, lo, hi);
                    }

                    public boolean allowed(int i, int j) {
                        int x = queries ? i : j;
                        return x >= lo && x < hi;
                    }
                };
            }
            default: {
                int block = 1 + rnd.nextInt(16);
                int nb = (n + block - 1) / block;
                RandomTable t;
                if (rnd.nextBoolean()) {
                    t = RandomTable.seeded(
                            rnd.nextLong(),
                            rnd.nextInt(3),
                            rnd.nextInt(3),
                            n,
                            block,
                            rnd.nextInt(4),
                            new int[][] {{rnd.nextInt(2), rnd.nextInt(2)}},
                            GlobalSet.builder(nb).first(0, rnd.nextInt(2)).build());
                } else {
                    int r = rnd.nextInt(3);
                    int[] flat = new int[nb * r];
                    for (int x = 0; x < flat.length; x++) {
                        flat[x] = rnd.nextInt(nb + 2) - 1;
                    }
                    t = RandomTable.fromLayout(flat, 0, nb, r);
                }
                return new Term() {
                    public KeyCover cover(int nn, int f, int s, int c) {
                        return KeyCover.random(nn, f, s, c, block, t);
                    }

                    public boolean allowed(int i, int j) {
                        return t.has(i / block, j / block);
                    }
                };
            }
        }
    }

    @Test
    void handComputedCovers() {
        // window 2 each side, rows 10..13 of 20: keys 8..15, every row attends 11..12.
        assertEquals(
                "[8..10 partial, 11..12 full, 13..15 partial]",
                KeyCover.window(20, 10, 1, 4, 2, 2, 1).toString());
        // Longformer tile rows 64..127 of 4096, 256 each side: 0..383, full 0..320.
        assertEquals(
                "[0..320 full, 321..383 partial]",
                KeyCover.window(4096, 64, 1, 64, 256, 256, 1).toString());
        // Dilation 2 over the even rows 100, 102, …, 114: only even keys; all rows attend 104..110.
        assertEquals(
                "[90..102/2 partial, 104..110/2 full, 112..124/2 partial]",
                KeyCover.window(200, 100, 2, 8, 5, 5, 2).toString());
        // A global token inside the window is visited once, as part of the window.
        KeyCover g = KeyCover.global(
                4096, 64, 1, 64, GlobalSet.builder(4096).tokens(0, 0).build());
        assertEquals("[0..0 full]", g.toString());
        assertEquals(
                "[0..320 full, 321..383 partial]",
                KeyCover.union(KeyCover.window(4096, 64, 1, 64, 256, 256, 1), g).toString());
        // The global row's tile: every key, partial but for the global column.
        assertEquals(
                "[0..0 full, 1..4095 partial]",
                KeyCover.global(
                                4096,
                                0,
                                1,
                                64,
                                GlobalSet.builder(4096).tokens(0, 0).build())
                        .toString());
        assertEquals(
                "[0..63 full, 64..127 partial]",
                KeyCover.causal(4096, 63, 1, 65).toString().replace("0..63 full", "0..63 full"));
        assertEquals(8, KeyCover.window(20, 10, 1, 4, 2, 2, 1).keyCount());
    }

    @Test
    void keyAndQueryRangesCoverExactlyTheirSets() {
        // keys [0..3]: just those keys, full, whatever the rows.
        assertEquals("[0..3 full]", KeyCover.keyRange(4096, 0, 4).toString());
        assertEquals("[4093..4095 full]", KeyCover.keyRange(4096, 4093, 4100).toString());
        assertEquals("[]", KeyCover.keyRange(10, 7, 7).toString());
        // Sinks: causal & (window 1019 before | keys [0..3]) for rows 5000..5063 visits the 4 sinks
        // and the window, nothing in between.
        KeyCover sinks = KeyCover.intersect(
                KeyCover.causal(8192, 5000, 1, 64),
                KeyCover.union(KeyCover.window(8192, 5000, 1, 64, 1019, 0, 1), KeyCover.keyRange(8192, 0, 4)));
        assertEquals("[0..3 full, 3981..4043 partial, 4044..5000 full, 5001..5063 partial]", sinks.toString());
        // queries [0..99]: every key for a group inside the set, partial for a group across its
        // end, nothing for a group after it.
        assertEquals(
                "[0..4095 full]", KeyCover.queryRange(4096, 0, 1, 64, 0, 100).toString());
        assertEquals(
                "[0..4095 partial]",
                KeyCover.queryRange(4096, 64, 1, 64, 0, 100).toString());
        assertEquals("[]", KeyCover.queryRange(4096, 128, 1, 64, 0, 100).toString());
        // Strided rows 3, 7, 11: only row 3 is in 0..4 (partial); rows 4..6 hold none of them.
        assertEquals("[0..19 partial]", KeyCover.queryRange(20, 3, 4, 3, 0, 5).toString());
        assertEquals("[]", KeyCover.queryRange(20, 3, 4, 3, 4, 7).toString());
    }

    @Test
    void globalSetRulesFollowTheLanguage() {
        GlobalSet g =
                GlobalSet.builder(10).tokens(-1, -1).tokens(2, 3).first(0, 1).build();
        assertEquals("{0, 2..3, 9}", g.toString());
        assertEquals(
                "{0..5, 9}",
                GlobalSet.builder(10).blocks(3, 0, 1).blocks(3, -1, -1).build().toString());
        assertEquals("{6..9}", GlobalSet.builder(10).last(3, 2).build().toString());
        assertEquals(
                "{}",
                GlobalSet.builder(10).tokens(20, 30).tokens(-30, -20).build().toString());
        assertEquals(2, GlobalSet.builder(10).tokens(0, 3).build().countIn(1, 2, 4));
    }
}
