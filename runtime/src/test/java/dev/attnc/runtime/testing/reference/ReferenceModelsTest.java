package dev.attnc.runtime.testing.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference models on cases whose answer is known without them: a small dense BERT encoder
 * written here from scratch (its own linear, LayerNorm, softmax), closed forms, and invariances
 * (locality, duplicates, padding). Tolerances: 1e-12 between two double computations of the same
 * sums in another order, exact where the same operations run in the same order; 1e-15 for erf.
 */
class ReferenceModelsTest {

    private static final double EPS = 1e-12;
    private static final int VOCAB = 24;
    private static final int TYPES = 2;
    private static final int POSITIONS = 48;

    // ---- Shared pieces --------------------------------------------------------------------

    @Test
    void erfMatchesKnownValues() {
        double[][] known = {
            {0.1, 0.1124629160182849},
            {0.5, 0.5204998778130465},
            {1, 0.8427007929497149},
            {1.5, 0.9661051464753108},
            {2, 0.9953222650189527},
            {2.5, 0.999593047982555},
            {2.9999, 0.9999778955735178},
            {3, 0.9999779095030014},
            {3.0001, 0.9999779234241298},
            {3.5, 0.9999992569016276},
            {4, 0.9999999845827421},
            {5, 0.9999999999984626},
        };
        for (double[] k : known) {
            assertEquals(k[1], Erf.erf(k[0]), 1e-15, "erf(" + k[0] + ")");
            assertEquals(-k[1], Erf.erf(-k[0]), 1e-15, "erf(-" + k[0] + ")");
        }
        assertEquals(1.1283791670955126e-10, Erf.erf(1e-10), 1e-25);
        assertEquals(0.0011283787909692365, Erf.erf(0.001), 1e-18);
        assertEquals(0, Erf.erf(0));
        assertEquals(1, Erf.erf(7));
        // The tail, where 1 − erf is the whole answer (erfc(5) = 1.5374597944280351e-12).
        assertEquals(1.5374597944280351e-12, 1 - Erf.erf(5), 1e-16);
        assertEquals(2.2090496998585438e-05, 1 - Erf.erf(3), 1e-16);
    }

    @Test
    void activationsFollowTheirFormulas() {
        // x·Φ(x): Φ(1) = 0.8413447460685429, Φ(−2) = 0.022750131948179209.
        assertEquals(0.8413447460685429, Activation.of("gelu").apply(1), 1e-15);
        assertEquals(-0.04550026389635842, Activation.of("gelu").apply(-2), 1e-15);
        assertEquals(0.8411919906082768, Activation.of("gelu_new").apply(1), 1e-15);
        assertEquals(-0.04540230591222494, Activation.of("gelu_pytorch_tanh").apply(-2), 1e-15);
        assertEquals(0, Activation.of("relu").apply(-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.of("swish"));
        assertTrue(e.getMessage().contains("swish"), e.getMessage());
    }

    @Test
    void robertaPositionsCountNonPadIdsFromPadPlusOne() {
        // pad id 1: pads keep 1, real tokens count 2, 3, … whatever their place.
        assertArrayEquals(
                new int[] {2, 3, 1, 4, 1, 1}, LongformerReference.positionIds(new int[] {0, 5, 1, 6, 1, 1}, 1));
        assertArrayEquals(new int[] {1, 2, 3}, LongformerReference.positionIds(new int[] {7, 7, 7}, 0));
    }

    @Test
    void shapesAndRandomWeightsAgreeAndMissingTensorsAreNamed() {
        for (RefConfig c : new RefConfig[] {longformer(1, 8), bigBird(1, RefConfig.BLOCK_SPARSE), fastformer(1)}) {
            Map<String, long[]> shapes = ReferenceModels.shapes(c, VOCAB, POSITIONS, TYPES);
            Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 5);
            assertEquals(shapes.keySet(), w.keySet());
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                assertEquals(
                        Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b), w.get(e.getKey()).length, e.getKey());
            }
            assertArrayEquals(
                    w.get(shapes.keySet().iterator().next()),
                    ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 5)
                            .get(shapes.keySet().iterator().next()));
        }
        RefConfig c = longformer(1, 8);
        Map<String, float[]> w = new HashMap<>(ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 5));
        w.remove("encoder.layer.0.attention.self.key_global.bias");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ReferenceModels.longformer(c, w, RefInputs.of(new int[][] {{3, 4}})));
        assertEquals(
                "missing tensor encoder.layer.0.attention.self.key_global.bias (expected shape [8])", e.getMessage());
        w.put("encoder.layer.0.attention.self.key_global.bias", new float[7]);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ReferenceModels.longformer(c, w, RefInputs.of(new int[][] {{3, 4}})));
        assertEquals(
                "tensor encoder.layer.0.attention.self.key_global.bias has 7 elements, expected shape [8] = 8",
                e.getMessage());
    }

    // ---- Longformer -----------------------------------------------------------------------

    @Test
    void longformerWithAWindowOverTheWholeSequenceAndNoGlobalsIsDenseAttention() {
        int length = 7;
        RefConfig c = longformer(2, 2 * length);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 11);
        int pad = c.padTokenId();
        int[][] ids = {{0, 5, 9, 3, 12, 7, 2}, {4, 8, 6, 10, 11, pad, pad}};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0}};
        int[][] types = {{0, 0, 0, 1, 1, 1, 1}, {0, 1, 0, 1, 0, 0, 0}};
        RefOutputs out = ReferenceModels.longformer(c, w, new RefInputs(ids, mask, null, types, null));
        for (int b = 0; b < 2; b++) {
            int[] positions = new int[length];
            for (int i = 0, count = 0; i < length; i++) {
                positions[i] = ids[b][i] == pad ? pad : pad + ++count;
            }
            double[][] expected = DenseBert.encode(c, w, ids[b], positions, types[b], mask[b], 1, "pooler.dense");
            for (int i = 0; i < length; i++) {
                if (mask[b][i] == 1) {
                    assertArrayEquals(expected[i], out.lastHiddenState()[b][i], EPS, "[" + b + "][" + i + "]");
                }
            }
            assertArrayEquals(DenseBert.pool(w, "pooler.dense", expected[0]), out.poolerOutput()[b], EPS);
        }
    }

    @Test
    void longformerLocalRowsSeeOnlyTheirWindowAndTheGlobalTokens() {
        RefConfig c = longformer(1, 4); // one side: 2
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 12);
        int[] ids = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        int[] changed = ids.clone();
        changed[9] = 20;
        int[] global = new int[12];
        global[0] = 1;
        for (int[] g : new int[][] {null, global}) {
            RefOutputs a = ReferenceModels.longformer(
                    c, w, new RefInputs(new int[][] {ids}, null, g == null ? null : new int[][] {g}, null, null));
            RefOutputs b = ReferenceModels.longformer(
                    c, w, new RefInputs(new int[][] {changed}, null, g == null ? null : new int[][] {g}, null, null));
            for (int i = 1; i < 12; i++) {
                boolean inWindow = Math.abs(i - 9) <= 2;
                assertEquals(
                        inWindow, !Arrays.equals(a.lastHiddenState()[0][i], b.lastHiddenState()[0][i]), "row " + i);
            }
            // Row 0 is global in the second case: it sees token 9.
            assertEquals(g != null, !Arrays.equals(a.lastHiddenState()[0][0], b.lastHiddenState()[0][0]));
        }
    }

    @Test
    void longformerGlobalsWithCopiedProjectionsAndAFullWindowChangeNothing() {
        int length = 9;
        RefConfig c = longformer(2, 2 * length);
        Map<String, float[]> w = new HashMap<>(ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 13));
        int[][] ids = {{0, 5, 9, 3, 12, 7, 2, 4, 6}};
        int[][] global = {{1, 0, 0, 1, 0, 0, 0, 0, 1}};
        RefOutputs plain = ReferenceModels.longformer(c, w, RefInputs.of(ids));
        RefOutputs distinct = ReferenceModels.longformer(c, w, new RefInputs(ids, null, global, null, null));
        assertTrue(maxDifference(plain, distinct) > 1e-3, "the global projections are used");
        for (int l = 0; l < 2; l++) {
            for (String p : new String[] {"query", "key", "value"}) {
                for (String t : new String[] {".weight", ".bias"}) {
                    String prefix = "encoder.layer." + l + ".attention.self.";
                    w.put(prefix + p + "_global" + t, w.get(prefix + p + t));
                }
            }
        }
        RefOutputs copied = ReferenceModels.longformer(c, w, new RefInputs(ids, null, global, null, null));
        assertTrue(maxDifference(plain, copied) < EPS, "difference " + maxDifference(plain, copied));
    }

    // ---- BigBird --------------------------------------------------------------------------

    @Test
    void bigBirdOriginalFullIsDenseAttention() {
        RefConfig c = bigBird(2, RefConfig.ORIGINAL_FULL);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 21);
        int[][] ids = {{2, 5, 9, 3, 12, 7}, {4, 8, 6, 10, 0, 0}};
        int[][] mask = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}};
        int[][] types = {{0, 0, 0, 1, 1, 1}, {0, 1, 0, 1, 0, 0}};
        RefOutputs out = ReferenceModels.bigBird(c, w, new RefInputs(ids, mask, null, types, null));
        for (int b = 0; b < 2; b++) {
            double[][] expected = DenseBert.encode(
                    c, w, ids[b], new int[] {0, 1, 2, 3, 4, 5}, types[b], mask[b], Math.sqrt(c.hidden()), "pooler");
            for (int i = 0; i < 6; i++) {
                if (mask[b][i] == 1) {
                    assertArrayEquals(expected[i], out.lastHiddenState()[b][i], EPS, "[" + b + "][" + i + "]");
                }
            }
            assertArrayEquals(DenseBert.pool(w, "pooler", expected[0]), out.poolerOutput()[b], EPS);
        }
    }

    @Test
    void bigBirdBlockSparseUpToFivePlusTwoRBlocksIsOriginalFull() {
        RefConfig sparse = bigBird(2, RefConfig.BLOCK_SPARSE); // block 2, r 1: threshold (5 + 2) · 2 = 14
        RefConfig full = bigBird(2, RefConfig.ORIGINAL_FULL);
        Map<String, float[]> w = ReferenceModels.randomWeights(sparse, VOCAB, POSITIONS, TYPES, 22);
        assertFalse(BigBirdReference.runsBlockSparse(sparse, 14));
        assertTrue(BigBirdReference.runsBlockSparse(sparse, 15));
        for (int length : new int[] {5, 14, 15}) {
            int[][] ids = {new int[length]};
            Arrays.setAll(ids[0], i -> 1 + (i * 7) % (VOCAB - 1));
            RefOutputs a = ReferenceModels.bigBird(sparse, w, RefInputs.of(ids));
            RefOutputs b = ReferenceModels.bigBird(full, w, RefInputs.of(ids));
            if (length <= 14) {
                assertEquals(0, maxDifference(a, b), "length " + length);
            } else {
                assertTrue(maxDifference(a, b) > 1e-3, "length " + length + " runs block-sparse");
            }
        }
    }

    @Test
    void bigBirdKeyBlocksFollowHuggingFacesConcatenation() {
        int nb = 8;
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                BigBirdReference.keyBlocks(0, nb, null).blocks());
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                BigBirdReference.keyBlocks(7, nb, null).blocks());
        BigBirdReference.KeyBlocks second = BigBirdReference.keyBlocks(1, nb, new int[] {0, 0});
        assertArrayEquals(new int[] {0, 1, 2, 7, 0, 0}, second.blocks());
        assertArrayEquals(new boolean[] {false, false, false, false, true, true}, second.withQueryMask());
        BigBirdReference.KeyBlocks middle = BigBirdReference.keyBlocks(3, nb, new int[] {0, 6});
        assertArrayEquals(new int[] {0, 2, 3, 4, 0, 6, 7}, middle.blocks());
        assertArrayEquals(new boolean[] {false, true, true, true, true, true, false}, middle.withQueryMask());
        assertArrayEquals(
                new int[] {0, 5, 6, 7, 0, 0},
                BigBirdReference.keyBlocks(6, nb, new int[] {0, 0}).blocks());
    }

    @Test
    void bigBirdZeroLayoutCountsBlockZeroAgainLikeALayoutOfACopyOfBlockZero() {
        RefConfig c = bigBird(1, RefConfig.BLOCK_SPARSE); // block 2, r 1
        Map<String, float[]> w = new HashMap<>(ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 23));
        // No position embeddings: equal ids give equal keys and values in the one layer.
        w.put("embeddings.position_embeddings.weight", new float[POSITIONS * c.hidden()]);
        int[][] ids = {{3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 3, 4, 17, 18, 19, 20}}; // block 5 = block 0
        int nb = 8;
        RefOutputs zeros = ReferenceModels.bigBird(c, w, RefInputs.of(ids));
        RefOutputs copyOfZero = ReferenceModels.bigBird(c, w, new RefInputs(ids, null, null, null, layout(c, nb, 5)));
        RefOutputs other = ReferenceModels.bigBird(c, w, new RefInputs(ids, null, null, null, layout(c, nb, 3)));
        RefOutputs explicitZeros =
                ReferenceModels.bigBird(c, w, new RefInputs(ids, null, null, null, layout(c, nb, 0)));
        // Were block 0 counted once, the copy (counted in addition to block 0) would differ.
        assertTrue(maxDifference(zeros, copyOfZero) < EPS, "difference " + maxDifference(zeros, copyOfZero));
        assertEquals(0, maxDifference(zeros, explicitZeros));
        assertTrue(maxDifference(zeros, other) > 1e-3, "the layout is used");
    }

    @Test
    void bigBirdSparseRowsSeeOnlyTheirListedBlocks() {
        RefConfig c = bigBird(1, RefConfig.BLOCK_SPARSE);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 24);
        int nb = 8;
        int[][][][] layout = layout(c, nb, 1);
        for (int h = 0; h < c.heads(); h++) {
            layout[0][h][3 - 1][0] = 6; // query block 3 lists 0, 2, 3, 4, 6, 7
        }
        int[] ids = new int[16];
        Arrays.setAll(ids, i -> 2 + i);
        RefOutputs base = ReferenceModels.bigBird(c, w, new RefInputs(new int[][] {ids}, null, null, null, layout));
        for (int changedBlock : new int[] {5, 6}) {
            int[] changed = ids.clone();
            changed[2 * changedBlock] = 21;
            RefOutputs b =
                    ReferenceModels.bigBird(c, w, new RefInputs(new int[][] {changed}, null, null, null, layout));
            for (int i = 6; i < 8; i++) { // the rows of block 3
                assertEquals(
                        changedBlock == 6,
                        !Arrays.equals(base.lastHiddenState()[0][i], b.lastHiddenState()[0][i]),
                        "row " + i + " after changing block " + changedBlock);
            }
        }
    }

    @Test
    void bigBirdChecksTheLayoutAgainstThePaddedBlockCount() {
        RefConfig c = bigBird(1, RefConfig.BLOCK_SPARSE);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 25);
        int[][] ids = {new int[15]}; // padded to 16: 8 blocks, 6 layout rows
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ReferenceModels.bigBird(c, w, new RefInputs(ids, null, null, null, layout(c, 7, 0))));
        assertTrue(e.getMessage().contains("must have 6 rows"), e.getMessage());
    }

    @Test
    void maskedTokensDoNotReachTheRealRows() {
        // Masked keys get −10000 or finfo.min (or are left out): exp underflows to exactly 0, so
        // the real rows must not change, bit for bit, when the masked tokens change.
        int length = 17; // block-sparse: padded to 18, 9 blocks
        int[] ids = new int[length];
        Arrays.setAll(ids, i -> 2 + i % 20);
        int[] changed = ids.clone();
        int[] mask = new int[length];
        Arrays.fill(mask, 0, 13, 1);
        for (int i = 13; i < length; i++) {
            changed[i] = 22;
        }
        RefConfig sparse = bigBird(2, RefConfig.BLOCK_SPARSE);
        int[][][][] layout = layout(sparse, 9, 8); // every random block is the padded last one
        RefConfig full = bigBird(2, RefConfig.ORIGINAL_FULL);
        RefConfig longformer = longformer(2, 6);
        int[][] global = {new int[length]};
        global[0][4] = 1;
        global[0][15] = 1; // masked: not global
        for (RefConfig c : new RefConfig[] {sparse, full, longformer}) {
            Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 26);
            RefOutputs a = run(
                    c,
                    w,
                    new RefInputs(
                            new int[][] {ids},
                            new int[][] {mask},
                            c == longformer ? global : null,
                            null,
                            c == sparse ? layout : null));
            RefOutputs b = run(
                    c,
                    w,
                    new RefInputs(
                            new int[][] {changed},
                            new int[][] {mask},
                            c == longformer ? global : null,
                            null,
                            c == sparse ? layout : null));
            for (int i = 0; i < 13; i++) {
                assertArrayEquals(a.lastHiddenState()[0][i], b.lastHiddenState()[0][i], 0, c.family() + " row " + i);
            }
            assertArrayEquals(a.poolerOutput()[0], b.poolerOutput()[0], 0);
        }
    }

    // ---- Fastformer -----------------------------------------------------------------------

    @Test
    void fastformerPaddingDoesNotChangeTheRealTokens() {
        RefConfig c = fastformer(2);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 31);
        int[][] real = {{5, 3, 7, 2, 9}};
        int[][] padded = {{5, 3, 7, 2, 9, 0, 0, 0}};
        RefOutputs a = ReferenceModels.fastformer(c, w, RefInputs.of(real));
        RefOutputs b = ReferenceModels.fastformer(c, w, RefInputs.of(padded));
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(a.lastHiddenState()[0][i], b.lastHiddenState()[0][i], EPS, "row " + i);
        }
        assertArrayEquals(a.poolerOutput()[0], b.poolerOutput()[0], EPS);
        int[][] defaultMask = {{1, 1, 1, 1, 1, 0, 0, 0}};
        RefOutputs explicit = ReferenceModels.fastformer(c, w, new RefInputs(padded, defaultMask, null, null, null));
        assertEquals(0, maxDifference(b, explicit));
        int[][] ones = {{1, 1, 1, 1, 1, 1, 1, 1}};
        RefOutputs unmasked = ReferenceModels.fastformer(c, w, new RefInputs(padded, ones, null, null, null));
        assertTrue(
                Math.abs(unmasked.lastHiddenState()[0][0][0] - b.lastHiddenState()[0][0][0]) > 1e-6,
                "unmasked pads take part");
    }

    @Test
    void fastformerOnOneTokenIsItsClosedForm() {
        // One token: both softmaxes are 1, so pooled query = q, pooled key = k ⊙ q, and the
        // attention is transform(k ⊙ q ⊙ q) + q; the pooler returns the token (α = e/(e + 1e-8)).
        RefConfig c = fastformer(1);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, POSITIONS, TYPES, 32);
        RefOutputs out = ReferenceModels.fastformer(c, w, RefInputs.of(new int[][] {{6}}));
        double[] x = new double[c.hidden()];
        for (int f = 0; f < x.length; f++) {
            x[f] = (double) w.get("word_embedding.weight")[6 * c.hidden() + f]
                    + w.get("fastformer_model.position_embeddings.weight")[f];
        }
        x = DenseBert.layerNorm(w, "fastformer_model.LayerNorm", x, c.layerNormEps());
        String p = "fastformer_model.encoders.0.";
        double[] q = DenseBert.linear(w, p + "attention.self.query", x);
        double[] k = DenseBert.linear(w, p + "attention.self.key", x);
        double[] u = new double[x.length];
        for (int f = 0; f < u.length; f++) {
            u[f] = k[f] * q[f] * q[f];
        }
        double[] attention = DenseBert.plus(DenseBert.linear(w, p + "attention.self.transform", u), q);
        double[] a = DenseBert.layerNorm(
                w,
                p + "attention.output.LayerNorm",
                DenseBert.plus(DenseBert.linear(w, p + "attention.output.dense", attention), x),
                c.layerNormEps());
        double[] expected = DenseBert.feedForward(w, p, a, c.layerNormEps(), "gelu");
        assertArrayEquals(expected, out.lastHiddenState()[0][0], EPS);
        double e = Math.exp(
                DenseBert.linear(
                        w,
                        "fastformer_model.poolers.0.att_fc2",
                        Arrays.stream(DenseBert.linear(w, "fastformer_model.poolers.0.att_fc1", expected))
                                .map(Math::tanh)
                                .toArray())[0]);
        double[] pooled = Arrays.stream(expected).map(v -> v * (e / (e + 1e-8))).toArray();
        assertArrayEquals(pooled, out.poolerOutput()[0], EPS);
    }

    // ---- Helpers --------------------------------------------------------------------------

    private static RefConfig longformer(int layers, int window) {
        int[] windows = new int[layers];
        Arrays.fill(windows, window);
        return RefConfig.longformer(8, 2, layers, 16, 1e-5, "gelu_new", windows, 1);
    }

    private static RefConfig bigBird(int layers, String attentionType) {
        return RefConfig.bigBird(8, 2, layers, 16, 1e-12, "gelu_new", 0, 2, 1, attentionType, true);
    }

    private static RefConfig fastformer(int layers) {
        return RefConfig.fastformer(8, 2, layers, 16, 1e-12, "gelu", 0);
    }

    private static RefOutputs run(RefConfig c, Map<String, float[]> w, RefInputs in) {
        return c.family().equals(RefConfig.LONGFORMER)
                ? ReferenceModels.longformer(c, w, in)
                : ReferenceModels.bigBird(c, w, in);
    }

    /** A layout of {@code nb} blocks whose every entry is {@code block}. */
    private static int[][][][] layout(RefConfig c, int nb, int block) {
        int[][][][] t = new int[c.layers()][c.heads()][nb - 2][c.numRandomBlocks()];
        for (int[][][] layer : t) {
            for (int[][] head : layer) {
                for (int[] row : head) {
                    Arrays.fill(row, block);
                }
            }
        }
        return t;
    }

    private static double maxDifference(RefOutputs a, RefOutputs b) {
        double m = 0;
        for (int s = 0; s < a.lastHiddenState().length; s++) {
            for (int i = 0; i < a.lastHiddenState()[s].length; i++) {
                for (int f = 0; f < a.lastHiddenState()[s][i].length; f++) {
                    m = Math.max(m, Math.abs(a.lastHiddenState()[s][i][f] - b.lastHiddenState()[s][i][f]));
                }
            }
            for (int f = 0; f < a.poolerOutput()[s].length; f++) {
                m = Math.max(m, Math.abs(a.poolerOutput()[s][f] - b.poolerOutput()[s][f]));
            }
        }
        return m;
    }

    /**
     * A post-LayerNorm BERT encoder with dense attention, written here independently of the
     * reference (BERT's names; keys with mask 0 are left out of every softmax).
     */
    private static final class DenseBert {

        static double[][] encode(
                RefConfig c,
                Map<String, float[]> w,
                int[] ids,
                int[] positions,
                int[] types,
                int[] keyMask,
                double wordScale,
                String pooler) {
            int n = ids.length;
            int h = c.hidden();
            double[][] x = new double[n][h];
            for (int i = 0; i < n; i++) {
                for (int f = 0; f < h; f++) {
                    x[i][f] = w.get("embeddings.word_embeddings.weight")[ids[i] * h + f] * wordScale
                            + w.get("embeddings.position_embeddings.weight")[positions[i] * h + f]
                            + w.get("embeddings.token_type_embeddings.weight")[types[i] * h + f];
                }
                x[i] = layerNorm(w, "embeddings.LayerNorm", x[i], c.layerNormEps());
            }
            for (int l = 0; l < c.layers(); l++) {
                String p = "encoder.layer." + l + ".";
                double[][] q = new double[n][];
                double[][] k = new double[n][];
                double[][] v = new double[n][];
                for (int i = 0; i < n; i++) {
                    q[i] = linear(w, p + "attention.self.query", x[i]);
                    k[i] = linear(w, p + "attention.self.key", x[i]);
                    v[i] = linear(w, p + "attention.self.value", x[i]);
                }
                double[][] next = new double[n][];
                for (int i = 0; i < n; i++) {
                    double[] context = new double[h];
                    int d = c.headDim();
                    for (int head = 0; head < c.heads(); head++) {
                        double[] e = new double[n];
                        double total = 0;
                        for (int j = 0; j < n; j++) {
                            double dot = 0;
                            for (int f = head * d; f < (head + 1) * d; f++) {
                                dot += q[i][f] * k[j][f];
                            }
                            e[j] = keyMask[j] == 1 ? Math.exp(dot / Math.sqrt(d)) : 0;
                            total += e[j];
                        }
                        for (int j = 0; j < n; j++) {
                            for (int f = head * d; f < (head + 1) * d; f++) {
                                context[f] += e[j] / total * v[j][f];
                            }
                        }
                    }
                    double[] a = layerNorm(
                            w,
                            p + "attention.output.LayerNorm",
                            plus(linear(w, p + "attention.output.dense", context), x[i]),
                            c.layerNormEps());
                    next[i] = feedForward(w, p, a, c.layerNormEps(), c.hiddenAct());
                }
                x = next;
            }
            return x;
        }

        static double[] feedForward(Map<String, float[]> w, String p, double[] a, double eps, String act) {
            double[] inter = linear(w, p + "intermediate.dense", a);
            for (int f = 0; f < inter.length; f++) {
                double z = inter[f];
                inter[f] = act.equals("gelu")
                        ? z * 0.5 * (1 + Erf.erf(z / Math.sqrt(2)))
                        : 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * Math.pow(z, 3))));
            }
            return layerNorm(w, p + "output.LayerNorm", plus(linear(w, p + "output.dense", inter), a), eps);
        }

        static double[] pool(Map<String, float[]> w, String dense, double[] first) {
            return Arrays.stream(linear(w, dense, first)).map(Math::tanh).toArray();
        }

        static double[] linear(Map<String, float[]> w, String prefix, double[] x) {
            float[] weight = w.get(prefix + ".weight");
            float[] bias = w.get(prefix + ".bias");
            double[] y = new double[bias.length];
            for (int o = 0; o < y.length; o++) {
                y[o] = bias[o];
                for (int k = 0; k < x.length; k++) {
                    y[o] += weight[o * x.length + k] * x[k];
                }
            }
            return y;
        }

        static double[] layerNorm(Map<String, float[]> w, String prefix, double[] x, double eps) {
            double mean = Arrays.stream(x).average().orElseThrow();
            double var =
                    Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
            double[] y = new double[x.length];
            for (int f = 0; f < x.length; f++) {
                y[f] = (x[f] - mean) / Math.sqrt(var + eps) * w.get(prefix + ".weight")[f] + w.get(prefix + ".bias")[f];
            }
            return y;
        }

        static double[] plus(double[] a, double[] b) {
            double[] y = new double[a.length];
            for (int f = 0; f < a.length; f++) {
                y[f] = a[f] + b[f];
            }
            return y;
        }
    }
}
