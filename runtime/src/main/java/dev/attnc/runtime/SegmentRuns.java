package dev.attnc.runtime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The segments of one batch item of a packed sequence, from its {@code segment_ids} row: each
 * token's segment (the ids renumbered {@code 0 .. count()-1} in order of first appearance) and
 * each segment's runs, the maximal stretches of consecutive tokens with its id, in increasing
 * order. Equal ids in runs that are not adjacent are one segment (FlexAttention's
 * {@code doc[q] == doc[kv]}), so a segment may have several runs. Any int values are ids.
 * Immutable; built in {@code O(n)} once per batch item ({@link AttentionInputs#segments}).
 */
public final class SegmentRuns {

    private final int[] segmentOf;
    /** Runs of segment {@code s} are {@code runFrom[s] .. runFrom[s+1]-1}. */
    private final int[] runFrom;
    /** First token of each run, runs grouped by segment. */
    private final int[] runStart;
    /** Last token of each run (inclusive). */
    private final int[] runEnd;

    private SegmentRuns(int[] segmentOf, int[] runFrom, int[] runStart, int[] runEnd) {
        this.segmentOf = segmentOf;
        this.runFrom = runFrom;
        this.runStart = runStart;
        this.runEnd = runEnd;
    }

    /** The segments of the {@code n} ids {@code ids[offset .. offset+n-1]} ({@code n >= 1}). */
    public static SegmentRuns of(int[] ids, int offset, int n) {
        if (n < 1 || offset < 0 || offset + n > ids.length) {
            throw new IllegalArgumentException(
                    "segment ids: need " + n + " ids from offset " + offset + ", the array has " + ids.length);
        }
        int[] segmentOf = new int[n];
        Map<Integer, Integer> index = new HashMap<>();
        int runs = 0;
        for (int i = 0; i < n; i++) {
            int id = ids[offset + i];
            Integer s = index.get(id);
            if (s == null) {
                s = index.size();
                index.put(id, s);
            }
            segmentOf[i] = s;
            if (i == 0 || id != ids[offset + i - 1]) {
                runs++;
            }
        }
        int count = index.size();
        int[] runFrom = new int[count + 1];
        for (int i = 0; i < n; i++) {
            if (i == 0 || segmentOf[i] != segmentOf[i - 1]) {
                runFrom[segmentOf[i] + 1]++;
            }
        }
        for (int s = 0; s < count; s++) {
            runFrom[s + 1] += runFrom[s];
        }
        int[] next = Arrays.copyOf(runFrom, count);
        int[] runStart = new int[runs];
        int[] runEnd = new int[runs];
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || segmentOf[i] != segmentOf[i - 1]) {
                int slot = next[segmentOf[start]]++;
                runStart[slot] = start;
                runEnd[slot] = i - 1;
                start = i;
            }
        }
        return new SegmentRuns(segmentOf, runFrom, runStart, runEnd);
    }

    /** Tokens. */
    public int n() {
        return segmentOf.length;
    }

    /** Segments (distinct ids). */
    public int count() {
        return runFrom.length - 1;
    }

    /** Token {@code i}'s segment, {@code 0 .. count()-1}. */
    public int segmentOf(int i) {
        return segmentOf[i];
    }

    /** Whether tokens {@code i} and {@code j} are in one segment: the pair test of {@code segments from input}. */
    public boolean same(int i, int j) {
        return segmentOf[i] == segmentOf[j];
    }

    /** Runs of all segments. */
    public int runCount() {
        return runStart.length;
    }

    /** The first run of segment {@code s}; its runs are {@code firstRun(s) .. firstRun(s+1)-1}, increasing. */
    public int firstRun(int s) {
        return runFrom[s];
    }

    public int runStart(int r) {
        return runStart[r];
    }

    /** Inclusive. */
    public int runEnd(int r) {
        return runEnd[r];
    }

    /** Tokens in segment {@code s}. */
    public int length(int s) {
        int len = 0;
        for (int r = runFrom[s]; r < runFrom[s + 1]; r++) {
            len += runEnd[r] - runStart[r] + 1;
        }
        return len;
    }
}
