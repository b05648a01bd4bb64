package dev.attnc.runtime.cuda;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.SegmentRuns;
import dev.attnc.runtime.kernel.GlobalSet;
import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.kernel.PatternBinding;
import dev.attnc.runtime.kernel.RandomTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CUDA softmax kernel reads besides q, k, v: the host side of the pattern (parameter
 * values per head, global sets per batch item, random-block tables), packed into one
 * {@code int32} buffer that the host uploads once per call. The values come from the pattern's
 * generated binding ({@link PatternBinding#bindAll}), as the Java engine's do, so both backends
 * see the same sets (and the host needs neither javac nor the Vector API); the device code
 * ({@code attnc_softmax.cuh}, {@code attnc::Head}) reads this layout (version 2):
 *
 * <pre>
 * word 0       MAGIC ('ATT2')
 * 1..6         batch B, heads H, length n, params P, global slots G, random slots R
 * 7            grid.x = rowBlocks + globalGroups · keySplits
 * 8            offset of the head table
 * 9            rowBlocks: row groups of one residue modulo the head's row stride, queryTile rows
 *              each, for the head with the most (blocks 0 .. rowBlocks − 1)
 * 10           globalGroups: max over (b, h) of ⌈globalRows(b, h) / queryTile⌉, where
 *              globalRows is the number of rows 0..n−1 in the union of the head's global slots
 *              (0 when G = 0 or no head has a global row)
 * 11           keySplits: ⌈n / KEY_SPLIT⌉ when globalGroups &gt; 0, else 0 (blocks rowBlocks ..
 *              grid.x − 1: one per (global group, key split))
 * 12           work floats: counters + partials (0 when globalGroups = 0), counters =
 *              B·H·globalGroups int32 slots rounded up to a multiple of 4, partials =
 *              B·H·globalGroups·keySplits·queryTile·(headDim + 2) floats
 * 13           kv heads G of k and v (grouped-query attention: head h reads kv head h / (H / G));
 *              0 means H
 * 14           segments: 1 when the pattern has {@code segments from input} (S = 1), else 0
 * 15           zero
 * head table   per (b, h) at (b·H + h)·(1 + P + G + R + S): rowStride, p[P], globalOffset[G],
 *              randomOffset[R], then (S = 1) segmentsOffset, the record's last word
 * segments     per batch item (its heads share it): count S, runs R, firstRun[S + 1] (runs of
 *              segment s are firstRun[s] .. firstRun[s+1] − 1, increasing), R runs (start, end
 *              inclusive), then the segment (0 .. S − 1) of each token 0..n−1 ({@code SegmentRuns})
 * global list  count, then count runs (start, end inclusive), sorted and disjoint, then
 *              ⌈n/32⌉ bitmap words: bit (j &amp; 31) of word (j &gt;&gt; 5) set iff j (0..n−1) is in the set
 * random table nb, start[nb + 1] (into the entries), entries (key blocks, sorted per query block)
 * </pre>
 *
 * Lists and tables equal in content are stored once (the heads of a batch item usually share
 * one global set). {@link CudaShape#KEY_SPLIT} is the engine's {@code attnc::KSPLIT}. The work
 * buffer ({@link #workFloats} floats, zeroed before first use) holds the split-K blocks'
 * arrival counters and their partial (max, sum, O) rows.
 */
public final class CudaBinding {

    public static final int MAGIC = 0x32545441;
    public static final int HEADER = 16;

    private final int[] words;

    private CudaBinding(int[] words) {
        this.words = words;
    }

    /**
     * Packs the bindings of {@code in} for a device kernel whose blocks take {@code queryTile}
     * rows and whose head dim is {@code headDim}.
     *
     * @throws IllegalArgumentException when {@code queryTile} or {@code headDim} is below 1, when
     *     {@code in} does not fit the pattern, or when the launch or the work buffer would need
     *     more than 2^31 − 1 blocks or floats
     */
    public static CudaBinding pack(PatternBinding pattern, AttentionInputs in, int queryTile, int headDim) {
        if (queryTile < 1) {
            throw new IllegalArgumentException("queryTile: expected >= 1, got " + queryTile);
        }
        if (headDim < 1) {
            throw new IllegalArgumentException("headDim: expected >= 1, got " + headDim);
        }
        HeadBinding[] bindings = pattern.bindAll(in);
        AttentionShape s = in.shape();
        int n = s.length();
        HeadBinding first = bindings[0];
        int params = first.p.length;
        int globals = first.g.length;
        int randoms = first.r.length;
        boolean segments = first.seg != null;
        int record = 1 + params + globals + randoms + (segments ? 1 : 0);
        Words out = new Words();
        out.add(MAGIC, s.batch(), s.heads(), n, params, globals, randoms, 0, HEADER);
        while (out.size < HEADER) {
            out.add(0);
        }
        int table = out.size;
        out.reserve((long) bindings.length * record);
        Map<List<Integer>, Integer> stored = new HashMap<>();
        Map<SegmentRuns, Integer> storedSegments = new IdentityHashMap<>();
        long rowBlocks = 1;
        long globalRows = 0;
        for (int x = 0; x < bindings.length; x++) {
            HeadBinding c = bindings[x];
            int at = table + x * record;
            out.words[at] = c.rowStride;
            System.arraycopy(c.p, 0, out.words, at + 1, params);
            for (int g = 0; g < globals; g++) {
                int offset = out.store(stored, globalList(c.g[g], n)); // may grow out.words: store first
                out.words[at + 1 + params + g] = offset;
            }
            for (int r = 0; r < randoms; r++) {
                int offset = out.store(stored, randomTable(c.r[r]));
                out.words[at + 1 + params + globals + r] = offset;
            }
            if (segments) {
                // one list per batch item: its heads share the SegmentRuns object
                Integer offset = storedSegments.get(c.seg);
                if (offset == null) {
                    offset = out.store(stored, segmentList(c.seg));
                    storedSegments.put(c.seg, offset);
                }
                out.words[at + record - 1] = offset;
            }
            long span = (long) queryTile * c.rowStride;
            rowBlocks = Math.max(rowBlocks, c.rowStride * ((n + span - 1) / span));
            globalRows = Math.max(globalRows, globalRows(c.g, n));
        }
        long globalGroups = (globalRows + queryTile - 1) / queryTile;
        long keySplits = globalGroups > 0 ? (n + (long) CudaShape.KEY_SPLIT - 1) / CudaShape.KEY_SPLIT : 0;
        long gridX = rowBlocks + globalGroups * keySplits;
        if (gridX > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("q: sequence length " + n + " with query tile " + queryTile
                    + " needs " + gridX + " thread blocks (" + rowBlocks + " row blocks + " + globalGroups
                    + " global groups × " + keySplits + " key splits), more than 2^31 - 1");
        }
        long items = (long) s.batch() * s.heads() * globalGroups;
        long counters = (items + 3) / 4 * 4;
        long partials = items * keySplits * queryTile * (headDim + 2L);
        long workFloats = globalGroups > 0 ? counters + partials : 0;
        if (workFloats > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("q: shape " + s.batch() + " × " + s.heads() + " × " + n
                    + " (batch × heads × length) with query tile " + queryTile + " and head dim " + headDim
                    + " needs a "
                    + workFloats + "-float work buffer for the global rows' key splits (" + globalGroups
                    + " global groups × " + keySplits + " key splits per head), more than 2^31 - 1");
        }
        out.words[14] = segments ? 1 : 0;
        out.words[7] = (int) gridX;
        out.words[9] = (int) rowBlocks;
        out.words[10] = (int) globalGroups;
        out.words[11] = (int) keySplits;
        out.words[12] = (int) workFloats;
        out.words[13] = s.kvHeads() == s.heads() ? 0 : s.kvHeads();
        return new CudaBinding(Arrays.copyOf(out.words, out.size));
    }

    /** Rows 0..n−1 in the union of {@code sets}. */
    private static int globalRows(GlobalSet[] sets, int n) {
        if (sets.length == 0) {
            return 0;
        }
        if (sets.length == 1) {
            return members(sets[0], n).cardinality();
        }
        BitSet union = new BitSet(n);
        for (GlobalSet g : sets) {
            union.or(members(g, n));
        }
        return union.cardinality();
    }

    private static BitSet members(GlobalSet g, int n) {
        BitSet b = new BitSet(n);
        for (int k = 0; k < g.runCount(); k++) {
            int a = Math.max(0, g.runStart(k));
            int z = Math.min(n - 1, g.runEnd(k));
            if (a <= z) {
                b.set(a, z + 1);
            }
        }
        return b;
    }

    private static List<Integer> globalList(GlobalSet g, int n) {
        int bitmap = (n + 31) >>> 5;
        List<Integer> w = new ArrayList<>(1 + 2 * g.runCount() + bitmap);
        w.add(g.runCount());
        for (int k = 0; k < g.runCount(); k++) {
            w.add(g.runStart(k));
            w.add(g.runEnd(k));
        }
        int[] bits = new int[bitmap];
        BitSet m = members(g, n);
        for (int j = m.nextSetBit(0); j >= 0; j = m.nextSetBit(j + 1)) {
            bits[j >>> 5] |= 1 << (j & 31);
        }
        for (int word : bits) {
            w.add(word);
        }
        return w;
    }

    private static List<Integer> segmentList(SegmentRuns s) {
        List<Integer> w = new ArrayList<>(3 + s.count() + 2 * s.runCount() + s.n());
        w.add(s.count());
        w.add(s.runCount());
        for (int x = 0; x <= s.count(); x++) {
            w.add(x < s.count() ? s.firstRun(x) : s.runCount());
        }
        for (int r = 0; r < s.runCount(); r++) {
            w.add(s.runStart(r));
            w.add(s.runEnd(r));
        }
        for (int i = 0; i < s.n(); i++) {
            w.add(s.segmentOf(i));
        }
        return w;
    }

    private static List<Integer> randomTable(RandomTable t) {
        int nb = t.blocks();
        List<Integer> w = new ArrayList<>();
        w.add(nb);
        int start = 0;
        for (int qb = 0; qb < nb; qb++) {
            w.add(start);
            start += t.count(qb);
        }
        w.add(start);
        for (int qb = 0; qb < nb; qb++) {
            for (int x = 0; x < t.count(qb); x++) {
                w.add(t.keyBlock(qb, x));
            }
        }
        return w;
    }

    /** The packed words, to upload as the kernel's {@code bind} argument. */
    public int[] words() {
        return words.clone();
    }

    /** {@code grid.x} of the launch ({@code grid.y} = heads, {@code grid.z} = batch): word 7. */
    public int gridX() {
        return words[7];
    }

    /** Blocks of the row groups (the first {@code rowBlocks} of {@code grid.x}): word 9. */
    public int rowBlocks() {
        return words[9];
    }

    /** Query-tile groups of the global rows per (batch item, head): word 10. */
    public int globalGroups() {
        return words[10];
    }

    /** Key splits per global group, each over {@link CudaShape#KEY_SPLIT} keys: word 11. */
    public int keySplits() {
        return words[11];
    }

    /** Floats of the zeroed work buffer the kernel needs (0: pass a null pointer): word 12. */
    public int workFloats() {
        return words[12];
    }

    private static final class Words {
        int[] words = new int[64];
        int size;

        void ensure(long capacity) {
            if (capacity > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "q: the binding of this call needs " + capacity + " words, more than an int[] holds");
            }
            if (capacity > words.length) {
                words = Arrays.copyOf(words, (int)
                        Math.max(capacity, Math.min(Integer.MAX_VALUE - 8L, 2L * words.length)));
            }
        }

        /** Appends {@code count} zero words. */
        void reserve(long count) {
            ensure(size + count);
            size += (int) count;
        }

        void add(int... values) {
            ensure(size + values.length);
            for (int v : values) {
                words[size++] = v;
            }
        }

        int store(Map<List<Integer>, Integer> stored, List<Integer> list) {
            Integer at = stored.get(list);
            if (at == null) {
                at = size;
                ensure((long) size + list.size());
                for (int v : list) {
                    words[size++] = v;
                }
                stored.put(list, at);
            }
            return at;
        }
    }
}
