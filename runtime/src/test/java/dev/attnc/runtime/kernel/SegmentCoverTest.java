package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.SegmentRuns;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SegmentRuns} and {@link KeyCover#segments}: the cover of a row group visits exactly
 * the keys of the segments its rows belong to (its key count is the sum of their lengths, so
 * other segments' keys are skipped, not masked), full when the group lies in one segment.
 */
class SegmentCoverTest {

    @Test
    void runsGroupTheTokensOfEachIdInOrder() {
        // ids 5 5 9 9 9 5 -1 -1 5: segment 0 (id 5) has runs 0..1, 5..5, 8..8.
        SegmentRuns s = SegmentRuns.of(new int[] {0, 5, 5, 9, 9, 9, 5, -1, -1, 5}, 1, 9);
        assertEquals(9, s.n());
        assertEquals(3, s.count());
        assertEquals(5, s.runCount());
        assertEquals(0, s.firstRun(0));
        assertEquals(3, s.firstRun(1));
        assertEquals(0, s.runStart(0));
        assertEquals(1, s.runEnd(0));
        assertEquals(5, s.runStart(1));
        assertEquals(8, s.runStart(2));
        assertEquals(4, s.length(0));
        assertEquals(3, s.length(1));
        assertEquals(2, s.length(2));
        assertTrue(s.same(0, 8));
        assertFalse(s.same(4, 5));
    }

    @Test
    void aGroupInOneSegmentVisitsItsRunsInFull() {
        SegmentRuns s = SegmentRuns.of(new int[] {1, 1, 2, 2, 2, 1, 3}, 0, 7);
        KeyCover c = KeyCover.segments(7, 2, 1, 3, s);
        assertEquals("[2..4 full]", c.toString());
        KeyCover split = KeyCover.segments(7, 0, 1, 2, s);
        assertEquals("[0..1 full, 5..5 full]", split.toString());
    }

    @Test
    void aGroupAcrossSegmentsVisitsTheirRunsOnlyAsPartial() {
        SegmentRuns s = SegmentRuns.of(new int[] {1, 1, 2, 2, 2, 1, 3, 4, 4}, 0, 9);
        KeyCover c = KeyCover.segments(9, 4, 1, 3, s); // rows 4, 5, 6: segments 2, 1, 3
        assertEquals("[0..6 partial]", c.toString());
        KeyCover d = KeyCover.segments(9, 6, 1, 2, s); // rows 6, 7: segments 3, 4
        assertEquals("[6..8 partial]", d.toString());
    }

    /** Random packings and row groups: the keys visited are the group's segments' tokens, nothing else. */
    @Test
    void keysVisitedAreTheSumOfTheGroupsSegmentLengths() {
        Random rnd = new Random(15);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(trial % 2 == 0 ? 30 : 2000);
            int[] ids = new int[n];
            int pool = 1 + rnd.nextInt(n);
            for (int x = 0; x < n; x++) {
                ids[x] = x > 0 && rnd.nextInt(1 + rnd.nextInt(50)) != 0 ? ids[x - 1] : rnd.nextInt(pool);
            }
            SegmentRuns s = SegmentRuns.of(ids, 0, n);
            int first = rnd.nextInt(n);
            int stride = 1 + rnd.nextInt(3);
            int count = 1 + rnd.nextInt(Math.min(64, (n - 1 - first) / stride + 1));
            Set<Integer> segs = new HashSet<>();
            for (int r = 0; r < count; r++) {
                segs.add(s.segmentOf(first + stride * r));
            }
            long want = segs.stream().mapToLong(s::length).sum();
            KeyCover c = KeyCover.segments(n, first, stride, count, s);
            assertEquals(want, c.keyCount(), () -> "rows " + first + "+" + stride + "·[0," + count + ") of " + n);
            for (int x = 0; x < c.size(); x++) {
                assertEquals(segs.size() == 1, c.full(x));
            }
            // intersected with causal (the common case), still no key of another segment
            KeyCover causal = KeyCover.intersect(c, KeyCover.causal(n, first, stride, count));
            for (int x = 0; x < causal.size(); x++) {
                for (int j = causal.lo(x); j <= causal.hi(x); j += causal.stride(x)) {
                    assertTrue(segs.contains(s.segmentOf(j)), "key " + j + " of another segment in " + causal);
                }
            }
        }
    }
}
