package dev.attnc.runtime.cuda;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.kernel.GlobalSet;
import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.kernel.PatternBinding;
import dev.attnc.runtime.kernel.RandomTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CUDA softmax kernel reads besides q, k, v: the host side of the pattern (parameter
 * values per head, global sets per batch item, random-block tables), packed into one
 * {@code int32} buffer that the host uploads once per call. The values come from the pattern's
 * generated binding ({@link PatternBinding#bindAll}), as the Java engine's do, so both backends
 * see the same sets (and the host needs neither javac nor the Vector API); the device code ({@code attnc_softmax.cuh}, {@code attnc::Binding}) reads this layout:
 *
 * <pre>
 * word 0       MAGIC ('ATT1')
 * 1..7         batch B, heads H, length n, params P, global slots G, random slots R, grid.x
 * 8            offset of the head table; 9..15 zero
 * head table   per (b, h) at (b·H + h)·(1 + P + G + R): rowStride, p[P], globalOffset[G], randomOffset[R]
 * global list  count, then count runs (start, end inclusive), sorted and disjoint
 * random table nb, start[nb + 1] (into the entries), entries (key blocks, sorted per query block)
 * </pre>
 *
 * Lists and tables equal in content are stored once (the heads of a batch item usually share
 * one global set). {@link #gridX} is the launch's {@code grid.x}: row groups of one residue
 * modulo the head's row stride, {@code queryTile} rows each, for the head with the most.
 */
public final class CudaBinding {

    public static final int MAGIC = 0x31545441;
    public static final int HEADER = 16;

    private final int[] words;
    private final int gridX;

    private CudaBinding(int[] words, int gridX) {
        this.words = words;
        this.gridX = gridX;
    }

    /** Packs the bindings of {@code in} for a device kernel whose blocks take {@code queryTile} rows. */
    public static CudaBinding pack(PatternBinding pattern, AttentionInputs in, int queryTile) {
        if (queryTile < 1) {
            throw new IllegalArgumentException("queryTile: expected >= 1, got " + queryTile);
        }
        HeadBinding[] bindings = pattern.bindAll(in);
        AttentionShape s = in.shape();
        int n = s.length();
        HeadBinding first = bindings[0];
        int params = first.p.length;
        int globals = first.g.length;
        int randoms = first.r.length;
        int record = 1 + params + globals + randoms;
        Words out = new Words();
        out.add(MAGIC, s.batch(), s.heads(), n, params, globals, randoms, 0, HEADER);
        while (out.size < HEADER) {
            out.add(0);
        }
        int table = out.size;
        out.size += bindings.length * record;
        out.ensure(out.size);
        Map<List<Integer>, Integer> stored = new HashMap<>();
        long gridX = 1;
        for (int x = 0; x < bindings.length; x++) {
            HeadBinding c = bindings[x];
            int at = table + x * record;
            out.words[at] = c.rowStride;
            System.arraycopy(c.p, 0, out.words, at + 1, params);
            for (int g = 0; g < globals; g++) {
                int offset = out.store(stored, globalList(c.g[g])); // may grow out.words: store first
                out.words[at + 1 + params + g] = offset;
            }
            for (int r = 0; r < randoms; r++) {
                int offset = out.store(stored, randomTable(c.r[r]));
                out.words[at + 1 + params + globals + r] = offset;
            }
            long span = (long) queryTile * c.rowStride;
            gridX = Math.max(gridX, c.rowStride * ((n + span - 1) / span));
        }
        if (gridX > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("q: sequence length " + n + " needs more than 2^31 thread blocks");
        }
        out.words[7] = (int) gridX;
        return new CudaBinding(Arrays.copyOf(out.words, out.size), (int) gridX);
    }

    private static List<Integer> globalList(GlobalSet g) {
        List<Integer> w = new ArrayList<>(1 + 2 * g.runCount());
        w.add(g.runCount());
        for (int k = 0; k < g.runCount(); k++) {
            w.add(g.runStart(k));
            w.add(g.runEnd(k));
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

    /** {@code grid.x} of the launch ({@code grid.y} = heads, {@code grid.z} = batch). */
    public int gridX() {
        return gridX;
    }

    private static final class Words {
        int[] words = new int[64];
        int size;

        void ensure(int capacity) {
            if (capacity > words.length) {
                words = Arrays.copyOf(words, Math.max(capacity, words.length * 2));
            }
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
                ensure(size + list.size());
                for (int v : list) {
                    words[size++] = v;
                }
                stored.put(list, at);
            }
            return at;
        }
    }
}
