package dev.attnc.bench;

import dev.attnc.compiler.models.ModelKernels;
import dev.attnc.runtime.model.HuggingFaceModel;
import dev.attnc.runtime.model.ModelConfig;
import dev.attnc.runtime.model.ModelInputs;
import dev.attnc.runtime.model.ModelOutputs;
import dev.attnc.runtime.testing.reference.RefConfig;
import dev.attnc.runtime.testing.reference.ReferenceModels;
import dev.attnc.runtime.weights.DType;
import dev.attnc.runtime.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One encoder layer of each model, the configuration of issue 12's PyTorch measurements: batch
 * 1, {@code n} tokens, hidden 768, 12 heads, intermediate 3072; Longformer with window 512
 * ({@code attention_window = 512}) and one global token; BigBird ITC with block 64 and 3 random
 * blocks (attnc's seeded layout); the official Fastformer layer. The whole model call of a
 * one-layer checkpoint written at setup (random F32 weights under the real names) is measured:
 * embeddings + the layer + the pooler, through {@link HuggingFaceModel#encode}, as a user runs
 * it. {@link EncoderPartsBenchmark} breaks a layer down.
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar EncoderLayerBenchmark -p family=longformer -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class EncoderLayerBenchmark {

    @Param({"longformer", "big_bird", "fastformer"})
    public String family;

    @Param({"4096"})
    public int n;

    private HuggingFaceModel model;
    private ModelInputs inputs;

    /** The configuration of {@code family}, with {@code layers} layers. */
    static RefConfig config(String family, int layers) {
        switch (family) {
            case "longformer":
                int[] w = new int[layers];
                java.util.Arrays.fill(w, 512);
                return RefConfig.longformer(768, 12, layers, 3072, 1e-5, "gelu", w, 1);
            case "big_bird":
                return RefConfig.bigBird(768, 12, layers, 3072, 1e-12, "gelu_new", 0, 64, 3, "block_sparse", false);
            case "fastformer":
                return RefConfig.fastformer(768, 12, layers, 3072, 1e-12, "gelu", 0);
            default:
                throw new IllegalArgumentException("family " + family);
        }
    }

    /** Writes a random one-layer checkpoint of {@code c} and loads it. */
    static HuggingFaceModel load(RefConfig c, int maxPositions) throws IOException {
        Path dir = Files.createTempDirectory("attnc-bench-model");
        int vocab = 1000;
        String json = "{\"model_type\": \"" + c.family() + "\", \"hidden_size\": " + c.hidden()
                + ", \"num_hidden_layers\": " + c.layers() + ", \"num_attention_heads\": " + c.heads()
                + ", \"intermediate_size\": " + c.intermediate() + ", \"hidden_act\": \"" + c.hiddenAct()
                + "\", \"layer_norm_eps\": " + c.layerNormEps() + ", \"vocab_size\": " + vocab
                + ", \"max_position_embeddings\": " + maxPositions + ", \"type_vocab_size\": 1, \"pad_token_id\": "
                + c.padTokenId()
                + (c.attentionWindow() != null
                        ? ", \"attention_window\": " + java.util.Arrays.toString(c.attentionWindow())
                        : "")
                + (c.family().equals("big_bird")
                        ? ", \"block_size\": " + c.blockSize() + ", \"num_random_blocks\": " + c.numRandomBlocks()
                                + ", \"attention_type\": \"block_sparse\""
                        : "")
                + "}";
        Files.writeString(dir.resolve("config.json"), json);
        Map<String, float[]> w = ReferenceModels.randomWeights(c, vocab, maxPositions, 1, 1);
        Map<String, long[]> shapes = ReferenceModels.shapes(c, vocab, maxPositions, 1);
        Map<String, SafeTensorsWriter.Tensor> t = new TreeMap<>();
        w.forEach((name, data) -> t.put(name, new SafeTensorsWriter.Tensor(DType.F32, shapes.get(name), data)));
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), t, Map.of());
        ModelConfig config = ModelConfig.read(dir, c.family().equals("fastformer") ? "fastformer" : null);
        HuggingFaceModel m = HuggingFaceModel.load(dir, config, new ModelKernels(config, "java"));
        Files.delete(dir.resolve("model.safetensors"));
        Files.delete(dir.resolve("config.json"));
        Files.delete(dir);
        return m;
    }

    static ModelInputs inputs(String family, int n) {
        Random r = new Random(1);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 2 + r.nextInt(990);
        }
        int[] global = null;
        if (family.equals("longformer")) {
            global = new int[n];
            global[0] = 1;
        }
        return new ModelInputs(1, n, ids, null, global, null, null);
    }

    @Setup
    public void setUp() throws IOException {
        RefConfig c = config(family, 1);
        model = load(c, n + 2);
        inputs = inputs(family, n);
    }

    @Benchmark
    public ModelOutputs layer() {
        return model.encode(inputs);
    }
}
