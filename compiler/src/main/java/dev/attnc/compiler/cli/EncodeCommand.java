package dev.attnc.compiler.cli;

import dev.attnc.compiler.models.ModelKernels;
import dev.attnc.compiler.models.ModelSpecs;
import dev.attnc.runtime.io.NpyArray;
import dev.attnc.runtime.model.HuggingFaceModel;
import dev.attnc.runtime.model.ModelConfig;
import dev.attnc.runtime.model.ModelException;
import dev.attnc.runtime.model.ModelInputs;
import dev.attnc.runtime.model.ModelOutputs;
import dev.attnc.runtime.weights.WeightsException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attnc encode --model DIR -i input_ids=ids.npy -o last_hidden_state=h.npy}. */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        header = "Run a Hugging Face Longformer, BigBird or Fastformer folder on NumPy token ids.",
        description = {
            "DIR holds config.json and model.safetensors (or model.safetensors.index.json and its shards). "
                    + "config.json's model_type decides the architecture (longformer, big_bird); the official "
                    + "Fastformer code writes a BertConfig without one: say --model-type fastformer.",
            "Inputs (int64 or int32 [batch, length], or [length] for one sequence): input_ids, attention_mask, "
                    + "global_attention_mask (Longformer), token_type_ids, random_layout (BigBird, int32 "
                    + "[layers, heads, ceil(length/block_size) - 2, num_random_blocks]).",
            "Outputs (float32): last_hidden_state [batch, length, hidden], pooler_output [batch, hidden]."
        },
        footer = ExitCodes.FOOTER)
final class EncodeCommand implements Callable<Integer> {

    static final List<String> INPUTS =
            List.of("input_ids", "attention_mask", "global_attention_mask", "token_type_ids", "random_layout");
    static final List<String> OUTPUTS = List.of("last_hidden_state", "pooler_output");

    /** Inputs this long (tokens in the batch) report progress per layer on a terminal. */
    private static final int PROGRESS_TOKENS = 2048;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "a Hugging Face model folder")
    Path model;

    @Option(
            names = "--model-type",
            paramLabel = "T",
            description = "longformer, big_bird or fastformer (default: config.json's model_type)")
    String modelType;

    @Option(
            names = {"-i", "--input"},
            paramLabel = "NAME=FILE.npy",
            description = "an input; NAME is one of: input_ids attention_mask global_attention_mask token_type_ids"
                    + " random_layout")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "NAME=FILE.npy",
            description = "an output to write; NAME is last_hidden_state or pooler_output")
    Map<String, String> outputs = new LinkedHashMap<>();

    @Option(
            names = "--backend",
            paramLabel = "B",
            defaultValue = "java",
            description = "java (Vector-API kernels, compiled in memory), cuda (the generated CUDA kernels on the"
                    + " GPU; needs a CUDA driver, a device and nvcc) or cuda-emu (the generated CUDA kernels on the"
                    + " CPU emulator: slow, for checking) (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "threads for the whole model (default: the JVM's common pool, one per core)")
    Integer threads;

    @Option(names = "--print-spec", description = "print the .attn spec of every layer's attention first")
    boolean printSpec;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            return encode();
        } catch (ModelException | WeightsException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private int encode() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkNames();
        if (!ModelKernels.BACKENDS.contains(backend)) {
            throw new UserError("--backend '" + backend + "': use java, cuda-emu or cuda");
        }
        if (threads != null && threads < 1) {
            throw new UserError("--threads must be at least 1, got " + threads);
        }
        ModelConfig config = ModelConfig.read(model, modelType);
        if (printSpec) {
            out.print(ModelSpecs.describe(config));
            out.flush();
            if (inputs.isEmpty() && outputs.isEmpty()) {
                return ExitCodes.OK;
            }
        }
        if (!inputs.containsKey("input_ids")) {
            throw new UserError("input_ids is missing: give -i input_ids=ids.npy (int64 or int32 [batch, length])");
        }
        if (outputs.isEmpty()) {
            throw new UserError("no output asked for: give -o last_hidden_state=h.npy (and/or -o pooler_output=p.npy)");
        }
        ModelInputs in = readInputs(config);
        try (ModelKernels kernels = new ModelKernels(config, backend)) {
            HuggingFaceModel m = HuggingFaceModel.load(model, config, kernels);
            m.notes().forEach(n -> err.println("attnc: note: " + n));
            if (outputs.containsKey("pooler_output") && !m.hasPooler()) {
                throw new UserError("pooler_output: this checkpoint has no pooler weights");
            }
            IntConsumer progress = progress(config, in, err);
            ModelOutputs o = threads == null ? m.encode(in, progress) : m.encode(in, progress, threads);
            if (progress != null) {
                err.println();
            }
            write(o, out);
        }
        return ExitCodes.OK;
    }

    private void checkNames() {
        for (String name : inputs.keySet()) {
            if (!INPUTS.contains(name)) {
                throw new UserError("-i " + name + ": not an input of encode; use one of " + String.join(", ", INPUTS));
            }
        }
        for (String name : outputs.keySet()) {
            if (!OUTPUTS.contains(name)) {
                throw new UserError("-o " + name + ": not an output of encode; use " + String.join(" or ", OUTPUTS));
            }
        }
    }

    private ModelInputs readInputs(ModelConfig config) {
        NpyArray ids = ArrayFiles.read("input_ids", Path.of(inputs.get("input_ids")));
        int[] shape = ids.shape();
        if (shape.length != 1 && shape.length != 2) {
            throw new UserError(
                    "input input_ids: expected int [batch, length] (or [length]), got shape " + Arrays.toString(shape));
        }
        int batch = shape.length == 2 ? shape[0] : 1;
        int length = shape[shape.length - 1];
        if (batch < 1 || length < 1) {
            throw new UserError("input input_ids: expected at least one token, got shape " + Arrays.toString(shape));
        }
        return new ModelInputs(
                batch,
                length,
                ints("input_ids", ids, shape),
                optional("attention_mask", shape),
                optional("global_attention_mask", shape),
                optional("token_type_ids", shape),
                randomLayout(config));
    }

    private int[] optional(String name, int[] idsShape) {
        String file = inputs.get(name);
        if (file == null) {
            return null;
        }
        NpyArray a = ArrayFiles.read(name, Path.of(file));
        if (!Arrays.equals(a.shape(), idsShape)) {
            throw new UserError("input " + name + ": expected shape " + Arrays.toString(idsShape)
                    + " (as input_ids), got " + Arrays.toString(a.shape()));
        }
        return ints(name, a, idsShape);
    }

    private static int[] ints(String name, NpyArray a, int[] shape) {
        switch (a.dtype()) {
            case INT32:
                return a.ints();
            case BOOL: {
                boolean[] b = a.bools();
                int[] out = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    out[i] = b[i] ? 1 : 0;
                }
                return out;
            }
            default:
                throw new UserError("input " + name + ": expected int64 or int32 " + Arrays.toString(shape) + ", got "
                        + a.dtype().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private int[] randomLayout(ModelConfig config) {
        String file = inputs.get("random_layout");
        if (file == null) {
            return null;
        }
        NpyArray a = ArrayFiles.read("random_layout", Path.of(file));
        if (a.shape().length != 4) {
            throw new UserError(
                    "input random_layout: expected int32 [layers, heads, blocks - 2, num_random_blocks], got"
                            + " shape " + Arrays.toString(a.shape()));
        }
        return ints("random_layout", a, a.shape());
    }

    private IntConsumer progress(ModelConfig config, ModelInputs in, PrintWriter err) {
        if (System.console() == null || (long) in.batch() * in.length() < PROGRESS_TOKENS) {
            return null;
        }
        long start = System.nanoTime();
        return layer -> {
            err.printf(
                    "\rattnc: layer %d/%d done (%.1f s)",
                    layer + 1, config.numLayers(), (System.nanoTime() - start) / 1e9);
            err.flush();
        };
    }

    private void write(ModelOutputs o, PrintWriter out) {
        String h = outputs.get("last_hidden_state");
        if (h != null) {
            ArrayFiles.write(Path.of(h), NpyArray.ofFloats(o.lastHiddenState(), o.batch(), o.length(), o.hidden()));
            out.println(
                    "wrote " + h + " [" + o.batch() + ", " + o.length() + ", " + o.hidden() + "] (last_hidden_state)");
        }
        String p = outputs.get("pooler_output");
        if (p != null) {
            ArrayFiles.write(Path.of(p), NpyArray.ofFloats(o.poolerOutput(), o.batch(), o.hidden()));
            out.println("wrote " + p + " [" + o.batch() + ", " + o.hidden() + "] (pooler_output)");
        }
    }
}
