package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.kernel.GlobalSet;
import dev.attnc.runtime.kernel.HeadBinding;
import dev.attnc.runtime.testing.Gen;
import dev.attnc.runtime.testing.SeededTries;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The packed binding v2 ({@link CudaBinding}) read back word by word, against references
 * computed here from the sets the test itself chose (not from the packer's code paths).
 */
class CudaBindingTest {

    /** A call's inputs without tensors: B × H × n, head dim d, an optional runtime global mask. */
    private static AttentionInputs call(int batch, int heads, int n, int d, boolean[] mask) {
        AttentionInputs.Builder b = DeviceInputs.metadata(new AttentionShape(batch, heads, n, d), TensorLayout.BHLD);
        if (mask != null) {
            b.globalMask(mask);
        }
        return b.build();
    }

    private static boolean[] rows(int n, int... members) {
        boolean[] m = new boolean[n];
        for (int i : members) {
            m[i] = true;
        }
        return m;
    }

    private static boolean[] range(int n, int from, int to) {
        boolean[] m = new boolean[n];
        for (int i = from; i <= to; i++) {
            m[i] = true;
        }
        return m;
    }

    /** Word offset of (b, h)'s global slot {@code k}. */
    private static int listAt(int[] w, int b, int h, int k) {
        int params = w[4];
        int record = 1 + params + w[5] + w[6];
        return w[w[8] + (b * w[2] + h) * record + 1 + params + k];
    }

    /** The expected sizes from the definition: per (b, h) the union of its slots over 0..n−1. */
    private static long[] expectedSizes(boolean[][][] union, int queryTile, int n, int d) {
        int batch = union.length;
        int heads = union[0].length;
        long groups = 0;
        for (boolean[][] item : union) {
            for (boolean[] head : item) {
                int count = 0;
                for (boolean x : head) {
                    count += x ? 1 : 0;
                }
                groups = Math.max(groups, (count + queryTile - 1) / queryTile);
            }
        }
        long splits = groups > 0 ? (n + 511) / 512 : 0;
        long counters = (batch * heads * groups + 3) / 4 * 4;
        long work = groups > 0 ? counters + (long) batch * heads * groups * splits * queryTile * (d + 2) : 0;
        return new long[] {groups, splits, work};
    }

    @Test
    void headerWords() {
        int n = 100;
        boolean[][][] statics = {{rows(n, 0, 99)}};
        boolean[] mask = new boolean[2 * n];
        mask[5] = true;
        mask[50] = true;
        for (int i = 30; i < 50; i++) {
            mask[n + i] = true; // item 1: 20 rows
        }
        SetsTestBinding binding = new SetsTestBinding(8, statics, true);
        CudaBinding p = CudaBinding.pack(binding, call(2, 3, n, 8, mask), 16, 8);
        int[] w = p.words();
        assertEquals(0x32545441, w[0]);
        assertEquals(CudaBinding.MAGIC, w[0]);
        assertArrayEquals(new int[] {2, 3, 100, 0, 2, 0}, java.util.Arrays.copyOfRange(w, 1, 7));
        assertEquals(16, w[8]);
        assertEquals(7, w[9]); // ceil(100 / 16) row groups, stride 1
        assertEquals(2, w[10]); // item 1: {0, 99} ∪ 30..49 = 22 rows → 2 groups of 16
        assertEquals(1, w[11]); // ceil(100 / 512)
        // counters: 2·3·2 = 12 (a multiple of 4); partials 12 · 1 · 16 · (8 + 2) = 1920
        assertEquals(1932, w[12]);
        assertEquals(7 + 2 * 1, w[7]);
        assertArrayEquals(new int[3], java.util.Arrays.copyOfRange(w, 13, 16));
        assertEquals(9, p.gridX());
        assertEquals(7, p.rowBlocks());
        assertEquals(2, p.globalGroups());
        assertEquals(1, p.keySplits());
        assertEquals(1932, p.workFloats());
    }

    @Test
    void withoutGlobalRowsThereAreNoSplitBlocksAndNoWork() {
        int n = 1000;
        // G = 0
        CudaBinding none = CudaBinding.pack(new DenseTestBinding(8), call(2, 2, n, 8, null), 64, 8);
        assertEquals(0, none.globalGroups());
        assertEquals(0, none.keySplits());
        assertEquals(0, none.workFloats());
        assertEquals(16, none.rowBlocks());
        assertEquals(16, none.gridX());
        // G = 2 but every slot empty
        CudaBinding empty = CudaBinding.pack(
                new SetsTestBinding(8, new boolean[][][] {{null}}, true), call(2, 2, n, 8, new boolean[2 * n]), 64, 8);
        int[] w = empty.words();
        assertEquals(0, w[10]);
        assertEquals(0, w[11]);
        assertEquals(0, w[12]);
        assertEquals(w[9], w[7]);
    }

    @Test
    void rowStridesSetTheRowBlocks() {
        int n = 100;
        // heads 0, 1, 2 with strides 1, 3, 2: groups of 16 rows of one residue; stride 3 → 3 · ceil(100 / 48) = 9
        CudaBinding p = CudaBinding.pack(
                new SetsTestBinding(8, new boolean[][][] {{rows(n, 3)}}, false, 1, 3, 2),
                call(1, 3, n, 8, null),
                16,
                8);
        assertEquals(9, p.rowBlocks());
        assertEquals(1, p.globalGroups());
        assertEquals(1, p.keySplits());
        assertEquals(9 + 1, p.gridX());
        // counters 3 → 4; partials 3 · 1 · 1 · 16 · 10 = 480
        assertEquals(484, p.workFloats());
    }

    @TestFactory
    Stream<DynamicTest> bitmapsAndRunsMatchTheGlobalSets() {
        return SeededTries.forAll(
                60,
                0x5eedb17L,
                g -> {
                    int n = g.oneOf(1, 2, 31, 32, 33, 63, 64, 65, 100, 511, 512, 513, 1000);
                    int heads = g.intBetween(1, 3);
                    int slots = g.intBetween(1, 3);
                    boolean[][][] statics = new boolean[heads][slots][];
                    for (boolean[][] head : statics) {
                        for (int k = 0; k < slots; k++) {
                            head[k] = randomSet(g, n);
                        }
                    }
                    boolean[] mask = new boolean[2 * n];
                    for (int b = 0; b < 2; b++) {
                        System.arraycopy(randomSet(g, n), 0, mask, b * n, n);
                    }
                    return new Object[] {n, heads, statics, mask};
                },
                c -> {
                    int n = (int) c[0];
                    int heads = (int) c[1];
                    boolean[][][] statics = (boolean[][][]) c[2];
                    boolean[] mask = (boolean[]) c[3];
                    SetsTestBinding binding = new SetsTestBinding(4, statics, true);
                    AttentionInputs in = call(2, heads, n, 4, mask);
                    int[] w = CudaBinding.pack(binding, in, 16, 4).words();
                    HeadBinding[] bound = binding.bindAll(in);
                    int words = (n + 31) / 32;
                    for (int b = 0; b < 2; b++) {
                        for (int h = 0; h < heads; h++) {
                            HeadBinding hb = bound[b * heads + h];
                            for (int k = 0; k < hb.g.length; k++) {
                                GlobalSet set = hb.g[k];
                                int at = listAt(w, b, h, k);
                                String where = "n " + n + ", item " + b + ", head " + h + ", slot " + k;
                                int count = w[at];
                                assertEquals(set.runCount(), count, where);
                                for (int r = 0; r < count; r++) {
                                    assertEquals(set.runStart(r), w[at + 1 + 2 * r], where);
                                    assertEquals(set.runEnd(r), w[at + 2 + 2 * r], where);
                                }
                                int bitmap = at + 1 + 2 * count;
                                for (int j = 0; j < 32 * words; j++) {
                                    boolean bit = (w[bitmap + (j >> 5)] >>> (j & 31) & 1) == 1;
                                    boolean want =
                                            j < n && (k < statics[h].length ? statics[h][k][j] : mask[b * n + j]);
                                    assertEquals(want, bit, where + ", bit " + j);
                                    assertEquals(set.contains(j), bit, where + ", bit " + j);
                                }
                            }
                        }
                    }
                });
    }

    /** A random set over 0..n−1: empty, full, sparse or runs, often touching n − 1. */
    private static boolean[] randomSet(Gen g, int n) {
        boolean[] m = new boolean[n];
        switch (g.choose(4)) {
            case 0 -> {}
            case 1 -> java.util.Arrays.fill(m, true);
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    m[i] = g.chance(0.1);
                }
            }
            default -> {
                int runs = g.intBetween(1, 4);
                for (int r = 0; r < runs; r++) {
                    int a = g.intBetween(0, n - 1);
                    int z = Math.min(n - 1, a + g.intBetween(0, 40));
                    for (int i = a; i <= z; i++) {
                        m[i] = true;
                    }
                }
            }
        }
        if (g.chance(0.4)) {
            m[n - 1] = true;
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> splitSizesFollowTheirDefinition() {
        return SeededTries.forAll(
                60,
                0x512L,
                g -> {
                    int batch = g.intBetween(1, 3);
                    int heads = g.intBetween(1, 3);
                    int n = g.oneOf(1, 7, 100, 511, 512, 513, 1024, 1500, 2049);
                    int queryTile = g.oneOf(8, 16, 64, 128);
                    int d = g.oneOf(1, 8, 64, 128);
                    int slots = g.intBetween(0, 2);
                    boolean[][][] statics = new boolean[heads][slots][];
                    for (boolean[][] head : statics) {
                        for (int k = 0; k < slots; k++) {
                            head[k] = g.chance(0.3) ? null : randomSet(g, n);
                        }
                    }
                    boolean[] mask = new boolean[batch * n];
                    for (int b = 0; b < batch; b++) {
                        // per-item masks of different sizes: item b has about b · n / 3 rows
                        for (int i = 0; i < n; i++) {
                            mask[b * n + i] = g.chance(b / 3.0);
                        }
                    }
                    return new Object[] {batch, heads, n, queryTile, d, statics, mask};
                },
                c -> {
                    int batch = (int) c[0];
                    int heads = (int) c[1];
                    int n = (int) c[2];
                    int queryTile = (int) c[3];
                    int d = (int) c[4];
                    boolean[][][] statics = (boolean[][][]) c[5];
                    boolean[] mask = (boolean[]) c[6];
                    CudaBinding p = CudaBinding.pack(
                            new SetsTestBinding(d, statics, true), call(batch, heads, n, d, mask), queryTile, d);
                    boolean[][][] union = new boolean[batch][heads][n];
                    for (int b = 0; b < batch; b++) {
                        for (int h = 0; h < heads; h++) {
                            for (int i = 0; i < n; i++) {
                                boolean in = mask[b * n + i];
                                for (boolean[] s : statics[h]) {
                                    in |= s != null && s[i];
                                }
                                union[b][h][i] = in;
                            }
                        }
                    }
                    long[] want = expectedSizes(union, queryTile, n, d);
                    String where = batch + " × " + heads + " × " + n + ", qt " + queryTile + ", d " + d;
                    assertEquals(want[0], p.globalGroups(), where);
                    assertEquals(want[1], p.keySplits(), where);
                    assertEquals(want[2], p.workFloats(), where);
                    assertEquals((n + queryTile - 1) / queryTile, p.rowBlocks(), where);
                    assertEquals(p.rowBlocks() + p.globalGroups() * p.keySplits(), p.gridX(), where);
                    int[] w = p.words();
                    assertEquals(p.gridX(), w[7], where);
                    assertArrayEquals(
                            new int[] {p.rowBlocks(), p.globalGroups(), p.keySplits(), p.workFloats(), 0, 0, 0},
                            java.util.Arrays.copyOfRange(w, 9, 16),
                            where);
                });
    }

    @Test
    void equalListsAreStoredOnce() {
        int n = 70; // 3 bitmap words
        boolean[] shared = rows(n, 0, 69);
        // heads 0 and 2 share their static set; head 1 has another; both items share one mask
        boolean[][][] statics = {{shared}, {range(n, 10, 20)}};
        boolean[] mask = new boolean[2 * n];
        mask[33] = true;
        mask[n + 33] = true;
        SetsTestBinding binding = new SetsTestBinding(8, statics, true);
        int[] w = CudaBinding.pack(binding, call(2, 3, n, 8, mask), 16, 8).words();
        assertEquals(listAt(w, 0, 0, 0), listAt(w, 1, 2, 0));
        assertNotEquals(listAt(w, 0, 0, 0), listAt(w, 0, 1, 0));
        Set<Integer> masks = new HashSet<>();
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 3; h++) {
                masks.add(listAt(w, b, h, 1));
            }
        }
        assertEquals(1, masks.size());
        // header + table (6 records of 1 + 2 words) + 3 distinct lists: {0, 69} (2 runs),
        // 10..20 (1 run), {33} (1 run); each 1 + 2·runs + 3 bitmap words
        assertEquals(16 + 6 * 3 + (1 + 4 + 3) + (1 + 2 + 3) + (1 + 2 + 3), w.length);
    }

    @Test
    void oversizedCallsAreRejectedNamingTheInput() {
        int n = 1 << 20; // every row global: 2^20 / 64 groups × 2048 key splits × 64 rows × 66 floats
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CudaBinding.pack(
                        new SetsTestBinding(64, new boolean[][][] {{}}, true), call(1, 1, n, 64, all), 64, 64));
        assertEquals(
                "q: shape 1 × 1 × 1048576 (batch × heads × length) with query tile 64 and head dim 64 needs a"
                        + " 141733937152-float work buffer for the global rows' key splits (16384 global groups × 2048"
                        + " key splits per head), more than 2^31 - 1",
                e.getMessage());
        int m = 1 << 21; // query tile 1: 2^21 row blocks + 2^21 groups × 4096 splits
        boolean[] every = new boolean[m];
        java.util.Arrays.fill(every, true);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> CudaBinding.pack(
                        new SetsTestBinding(1, new boolean[][][] {{}}, true), call(1, 1, m, 1, every), 1, 1));
        assertEquals(
                "q: sequence length 2097152 with query tile 1 needs 8592031744 thread blocks (2097152 row blocks"
                        + " + 2097152 global groups × 4096 key splits), more than 2^31 - 1",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> CudaBinding.pack(new DenseTestBinding(8), call(1, 1, 4, 8, null), 16, 0));
        assertEquals("headDim: expected >= 1, got 0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> CudaBinding.pack(new DenseTestBinding(8), call(1, 1, 4, 8, null), 0, 8));
        assertEquals("queryTile: expected >= 1, got 0", e.getMessage());
    }
}
