package dev.attnc.compiler.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.RandomBlocks;
import dev.attnc.runtime.model.HuggingFaceModel;
import dev.attnc.runtime.model.ModelConfig;
import dev.attnc.runtime.model.ModelException;
import dev.attnc.runtime.model.ModelInputs;
import dev.attnc.runtime.model.ModelOutputs;
import dev.attnc.runtime.testing.reference.RefConfig;
import dev.attnc.runtime.testing.reference.RefInputs;
import dev.attnc.runtime.testing.reference.RefOutputs;
import dev.attnc.runtime.testing.reference.ReferenceModels;
import dev.attnc.runtime.weights.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole models from Hugging Face-shaped folders (random weights, hidden 64, 4 heads of 16)
 * against the double-precision references of {@code ReferenceModels}, which follow the public
 * PyTorch code. Compared on real tokens only (Hugging Face's outputs on padding are not part of
 * the contract); tolerance 3e-4 absolute plus 3e-4 relative per element (float32 kernels and
 * GEMMs against double over 2-3 layers whose outputs are layer-normed, of order 1).
 */
class HuggingFaceModelTest {

    static final double ABS = 3e-4;
    static final double REL = 3e-4;

    @TempDir
    Path tmp;

    static RefConfig longformer(int layers) {
        int[] windows = {4, 8, 2, 6};
        return RefConfig.longformer(64, 4, layers, 96, 1e-5, "gelu", java.util.Arrays.copyOf(windows, layers), 1);
    }

    static RefConfig bigBird(String attentionType, int r) {
        return RefConfig.bigBird(64, 4, 2, 96, 1e-12, "gelu_new", 0, 4, r, attentionType, false);
    }

    static RefConfig fastformer() {
        return RefConfig.fastformer(64, 4, 2, 96, 1e-12, "gelu", 0);
    }

    @TestFactory
    Stream<DynamicTest> longformerMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : new int[] {1, 2, 17, 45}) {
            for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
                tests.add(DynamicTest.dynamicTest("n=" + n + " " + dtype, () -> {
                    RefConfig c = longformer(3);
                    Path dir = ModelFolders.write(tmp.resolve("lf" + n + dtype), c, 11, dtype);
                    Random r = new Random(n);
                    int[][] ids = ids(r, 2, n, c.padTokenId());
                    int[][] mask = padding(2, n, n == 1 ? 1 : n - n / 3);
                    int[][] global = new int[2][n];
                    global[0][0] = 1;
                    if (n > 5) {
                        global[0][5] = 1;
                        global[1][n - 1] = 1; // a padding token: global only where it is real
                    }
                    RefInputs in = new RefInputs(ids, mask, global, null, null);
                    compare(dir, c, in, "");
                }));
            }
        }
        tests.add(DynamicTest.dynamicTest(
                "many global tokens: the kernel's global projections, not the folded rows", () -> {
                    RefConfig c = longformer(2);
                    Path dir = ModelFolders.write(tmp.resolve("lf-many"), c, 12, DType.F32);
                    int n = 45;
                    int[][] global = new int[2][n];
                    for (int i = 0; i < n; i += 4) {
                        global[0][i] = 1; // 12 global tokens · 4 heads · 2 >= hidden 64
                    }
                    global[1][7] = 1;
                    compare(
                            dir,
                            c,
                            new RefInputs(ids(new Random(6), 2, n, 1), padding(2, n, 30), global, null, null),
                            "");
                }));
        tests.add(DynamicTest.dynamicTest("F16 weights, with the base prefix, no global tokens", () -> {
            RefConfig c = longformer(2);
            Path dir = ModelFolders.write(tmp.resolve("lf-f16"), c, 5, DType.F16, "longformer.", Map.of());
            RefInputs in = RefInputs.of(ids(new Random(3), 1, 23, c.padTokenId()));
            compare(dir, c, in, "longformer.");
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> bigBirdMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        // (5 + 2r)·block = 28 for r = 1: 17 and 28 run full attention, 37 and 45 block-sparse.
        for (int n : new int[] {1, 17, 28, 37, 45}) {
            tests.add(DynamicTest.dynamicTest("given distinct layout, n=" + n, () -> {
                RefConfig c = bigBird("block_sparse", 1);
                Path dir = ModelFolders.write(tmp.resolve("bb" + n), c, 21, DType.F32);
                int[][] ids = ids(new Random(n), 2, n, 0);
                int[][] mask = padding(2, n, Math.max(1, n - 6));
                int[][][][] layout = n > 28 ? distinctLayout(c, n, new Random(n + 1)) : null;
                compare(dir, c, new RefInputs(ids, mask, null, tokenTypes(2, n), layout), "");
            }));
        }
        tests.add(DynamicTest.dynamicTest(
                "Hugging Face's eval-mode layout (all zeros: block 0 counted 1 + r times)", () -> {
                    RefConfig c = bigBird("block_sparse", 2);
                    Path dir = ModelFolders.write(tmp.resolve("bb-zeros"), c, 22, DType.F16, "bert.", Map.of());
                    int n = 41;
                    int nb = (n + 3) / 4;
                    int[][][][] zeros = new int[c.layers()][c.heads()][nb - 2][2];
                    compare(dir, c, new RefInputs(ids(new Random(9), 1, n, 0), null, null, null, zeros), "bert.");
                }));
        tests.add(DynamicTest.dynamicTest("attnc's seeded random blocks, replayed in the reference", () -> {
            RefConfig c = bigBird("block_sparse", 2);
            Path dir = ModelFolders.write(tmp.resolve("bb-seeded"), c, 23, DType.F32);
            int n = 47;
            RefInputs ref =
                    new RefInputs(ids(new Random(4), 2, n, 0), padding(2, n, 40), null, null, seededLayout(c, n));
            RefInputs model = new RefInputs(ref.inputIds(), ref.attentionMask(), null, null, null);
            compare(dir, c, ref, model, "");
        }));
        tests.add(DynamicTest.dynamicTest("no random blocks (r = 0), an empty random_layout given", () -> {
            RefConfig c = bigBird("block_sparse", 0);
            Path dir = ModelFolders.write(tmp.resolve("bb-r0"), c, 25, DType.F32);
            int n = 27; // > (5 + 0)·4: block-sparse
            RefInputs ref = new RefInputs(ids(new Random(7), 2, n, 0), padding(2, n, 22), null, null, null);
            ModelInputs in = toModel(ref);
            ModelInputs withEmpty =
                    new ModelInputs(in.batch(), in.length(), in.inputIds(), in.attentionMask(), null, null, new int[0]);
            HuggingFaceModel m = load(dir, ModelConfig.read(dir, null));
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    m.encode(in).lastHiddenState(), m.encode(withEmpty).lastHiddenState());
            compare(dir, c, ref, "");
        }));
        tests.add(DynamicTest.dynamicTest("original_full", () -> {
            RefConfig c = bigBird("original_full", 1);
            Path dir = ModelFolders.write(tmp.resolve("bb-full"), c, 24, DType.F32);
            compare(dir, c, new RefInputs(ids(new Random(5), 2, 33, 0), padding(2, 33, 30), null, null, null), "");
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fastformerMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : new int[] {1, 2, 17, 33}) {
            tests.add(DynamicTest.dynamicTest("n=" + n, () -> {
                RefConfig c = fastformer();
                Path dir = ModelFolders.write(tmp.resolve("ff" + n), c, 31, n == 17 ? DType.BF16 : DType.F32);
                int[][] ids = ids(new Random(n), 2, n, 0);
                for (int i = Math.max(1, n - 4); i < n; i++) {
                    ids[1][i] = 0; // padding by the official rule: id 0
                }
                compare(dir, c, RefInputs.of(ids), "");
            }));
        }
        return tests.stream();
    }

    @Test
    void missingAndMisshapenTensorsAreListedTogetherAndExtrasAreNoted() throws Exception {
        RefConfig c = longformer(2);
        Path dir = tmp.resolve("broken");
        ModelFolders.write(dir, c, 1, DType.F32, "", Map.of("lm_head.bias", new float[50]));
        Map<String, float[]> w = ModelFolders.weights(dir, "");
        w.remove("encoder.layer.1.attention.self.key_global.weight");
        w.put("encoder.layer.0.intermediate.dense.bias", new float[95]);
        Map<String, dev.attnc.runtime.weights.SafeTensorsWriter.Tensor> t = new java.util.TreeMap<>();
        Map<String, long[]> shapes = ReferenceModels.shapes(c, ModelFolders.VOCAB, ModelFolders.MAX_POSITIONS, 2);
        w.forEach((k, v) -> t.put(
                k,
                dev.attnc.runtime.weights.SafeTensorsWriter.Tensor.f32(
                        v,
                        shapes.containsKey(k) && !k.endsWith("intermediate.dense.bias")
                                ? shapes.get(k)
                                : new long[] {v.length})));
        dev.attnc.runtime.weights.SafeTensorsWriter.write(dir.resolve("model.safetensors"), t, Map.of());
        ModelConfig config = ModelConfig.read(dir, null);
        ModelException e = assertThrows(ModelException.class, () -> load(dir, config));
        assertTrue(e.getMessage().contains("2 weight problems"), e.getMessage());
        assertTrue(
                e.getMessage().contains("missing encoder.layer.1.attention.self.key_global.weight [64, 64]"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("encoder.layer.0.intermediate.dense.bias: expected shape [96], got [95]"),
                e.getMessage());

        Path ok = ModelFolders.write(tmp.resolve("extras"), c, 1, DType.F32, "", Map.of("lm_head.bias", new float[50]));
        HuggingFaceModel m = load(ok, ModelConfig.read(ok, null));
        assertEquals(List.of("ignored 1 tensor the encoder does not use: lm_head.bias"), m.notes());
    }

    @Test
    void concurrentCallsGiveTheOutputsOfOneAtATime() throws Exception {
        RefConfig c = longformer(2);
        Path dir = ModelFolders.write(tmp.resolve("concurrent"), c, 7, DType.F32);
        HuggingFaceModel m = load(dir, ModelConfig.read(dir, null));
        List<ModelInputs> inputs = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            int n = k % 2 == 0 ? 33 : 20; // two shapes: pooled workspaces are shared by shape
            int[][] global = new int[1][n];
            global[0][k] = 1;
            inputs.add(toModel(new RefInputs(ids(new Random(k), 1, n, 1), null, global, null, null)));
        }
        List<float[]> alone = new ArrayList<>();
        for (ModelInputs in : inputs) {
            alone.add(m.encode(in).lastHiddenState());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 10; round++) {
                List<java.util.concurrent.Future<float[]>> futures = new ArrayList<>();
                for (ModelInputs in : inputs) {
                    futures.add(pool.submit(() -> m.encode(in).lastHiddenState()));
                }
                for (int k = 0; k < inputs.size(); k++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            alone.get(k), futures.get(k).get(), "call " + k);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        ModelOutputs threaded = m.encode(inputs.get(0), null, 1);
        assertClose(alone.get(0), threaded.lastHiddenState(), "one thread");
    }

    /**
     * Equal up to float rounding: the Vector API's lane reductions may sum in another order once
     * C2 has compiled them, so a later call can differ from an early one in the last bit; a race
     * (two calls sharing a buffer) would differ at order 1.
     */
    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), what + " at " + i);
        }
    }

    @Test
    void inputsThatDoNotFitAreRefusedByName() {
        RefConfig c = longformer(1);
        Path dir = ModelFolders.write(tmp.resolve("inputs"), c, 2, DType.F32);
        HuggingFaceModel m = load(dir, ModelConfig.read(dir, null));
        ModelException vocab =
                assertThrows(ModelException.class, () -> m.encode(ModelInputs.of(1, 3, new int[] {2, 50, 3})));
        assertEquals("input_ids[0, 1] = 50 is outside the vocabulary 0..49", vocab.getMessage());
        int n = ModelFolders.MAX_POSITIONS - 1; // RoBERTa positions reach n + pad_token_id
        ModelException pos = assertThrows(ModelException.class, () -> m.encode(ModelInputs.of(1, n, new int[n])));
        assertTrue(pos.getMessage().startsWith("length " + n + " needs position 80"), pos.getMessage());
        ModelException layout = assertThrows(
                ModelException.class, () -> m.encode(new ModelInputs(1, 2, new int[2], null, null, null, new int[3])));
        assertEquals("random_layout is a BigBird input; this is a longformer model", layout.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    private static HuggingFaceModel load(Path dir, ModelConfig config) {
        return HuggingFaceModel.load(dir, config, new ModelKernels(config, "java"));
    }

    private void compare(Path dir, RefConfig c, RefInputs in, String prefix) {
        compare(dir, c, in, in, prefix);
    }

    /** Runs the folder on {@code model} inputs and the reference on {@code ref} inputs (the same tokens). */
    private void compare(Path dir, RefConfig c, RefInputs ref, RefInputs model, String prefix) {
        ModelConfig config = ModelConfig.read(dir, c.family().equals(RefConfig.FASTFORMER) ? "fastformer" : null);
        HuggingFaceModel m = load(dir, config);
        ModelOutputs got = m.encode(toModel(model));
        Map<String, float[]> w = ModelFolders.weights(dir, prefix);
        RefOutputs want = switch (c.family()) {
            case RefConfig.LONGFORMER -> ReferenceModels.longformer(c, w, ref);
            case RefConfig.BIG_BIRD -> ReferenceModels.bigBird(c, w, ref);
            default -> ReferenceModels.fastformer(c, w, ref);
        };
        int n = ref.length();
        int h = c.hidden();
        for (int b = 0; b < ref.batch(); b++) {
            for (int i = 0; i < n; i++) {
                if (!real(c, ref, b, i)) {
                    continue;
                }
                for (int x = 0; x < h; x++) {
                    double e = want.lastHiddenState()[b][i][x];
                    float a = got.lastHiddenState()[(b * n + i) * h + x];
                    if (Math.abs(a - e) > ABS + REL * Math.abs(e)) {
                        throw new AssertionError("last_hidden_state[" + b + ", " + i + ", " + x + "] = " + a
                                + ", reference " + e + " (" + c.family() + ", n=" + n + ")");
                    }
                }
            }
            assertNotNull(got.poolerOutput(), "pooler_output");
            for (int x = 0; x < h; x++) {
                double e = want.poolerOutput()[b][x];
                float a = got.poolerOutput()[b * h + x];
                if (Math.abs(a - e) > ABS + REL * Math.abs(e)) {
                    throw new AssertionError("pooler_output[" + b + ", " + x + "] = " + a + ", reference " + e);
                }
            }
        }
    }

    private static boolean real(RefConfig c, RefInputs in, int b, int i) {
        if (in.attentionMask() != null) {
            return in.attentionMask()[b][i] != 0;
        }
        return !c.family().equals(RefConfig.FASTFORMER) || in.inputIds()[b][i] != c.padTokenId();
    }

    static ModelInputs toModel(RefInputs in) {
        int b = in.batch();
        int n = in.length();
        int[] layout = null;
        if (in.randomLayout() != null) {
            List<Integer> flat = new ArrayList<>();
            for (int[][][] l : in.randomLayout()) {
                for (int[][] h : l) {
                    for (int[] row : h) {
                        for (int v : row) {
                            flat.add(v);
                        }
                    }
                }
            }
            layout = flat.stream().mapToInt(Integer::intValue).toArray();
        }
        return new ModelInputs(
                b,
                n,
                flat(in.inputIds()),
                flat(in.attentionMask()),
                flat(in.globalAttentionMask()),
                flat(in.tokenTypeIds()),
                layout);
    }

    static int[] flat(int[][] a) {
        if (a == null) {
            return null;
        }
        return Stream.of(a).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    static int[][] ids(Random r, int batch, int n, int pad) {
        int[][] ids = new int[batch][n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                int id;
                do {
                    id = r.nextInt(ModelFolders.VOCAB);
                } while (id == pad);
                ids[b][i] = id;
            }
        }
        return ids;
    }

    /** Item 0 all real, item 1 real up to {@code realLength}. */
    static int[][] padding(int batch, int n, int realLength) {
        int[][] m = new int[batch][n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                m[b][i] = b == 0 || i < realLength ? 1 : 0;
            }
        }
        return m;
    }

    static int[][] tokenTypes(int batch, int n) {
        int[][] t = new int[batch][n];
        for (int i = n / 2; i < n; i++) {
            t[0][i] = 1;
        }
        return t;
    }

    /** A table as Hugging Face draws in training: r distinct blocks outside each row's window and the globals. */
    static int[][][][] distinctLayout(RefConfig c, int n, Random r) {
        int nb = (n + c.blockSize() - 1) / c.blockSize();
        int[][][][] t = new int[c.layers()][c.heads()][nb - 2][c.numRandomBlocks()];
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                for (int qb = 1; qb <= nb - 2; qb++) {
                    List<Integer> cand = new ArrayList<>();
                    for (int kb = 1; kb < nb - 1; kb++) {
                        if (Math.abs(kb - qb) > 1) {
                            cand.add(kb);
                        }
                    }
                    java.util.Collections.shuffle(cand, r);
                    for (int x = 0; x < c.numRandomBlocks(); x++) {
                        t[l][h][qb - 1][x] = cand.get(x);
                    }
                }
            }
        }
        return t;
    }

    /** attnc's own draw (seed 42, per layer and head) in Hugging Face's table form. */
    static int[][][][] seededLayout(RefConfig c, int n) {
        int nb = (n + c.blockSize() - 1) / c.blockSize();
        int[][][][] t = new int[c.layers()][c.heads()][nb - 2][];
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                for (int qb = 1; qb <= nb - 2; qb++) {
                    int q = qb;
                    t[l][h][qb - 1] = RandomBlocks.choose(
                            ModelSpecs.BIGBIRD_SEED,
                            l,
                            h,
                            qb,
                            nb,
                            c.numRandomBlocks(),
                            kb -> kb == 0 || kb == nb - 1 || Math.abs(kb - q) <= 1);
                }
            }
        }
        return t;
    }
}
