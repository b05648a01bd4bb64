package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.exec.Backend;
import dev.attnc.compiler.exec.BackendException;
import dev.attnc.compiler.exec.BackendKernel;
import dev.attnc.compiler.exec.CheckedPattern;
import dev.attnc.compiler.exec.KernelInputs;
import dev.attnc.compiler.exec.PatternInputs;
import dev.attnc.compiler.exec.RunException;
import dev.attnc.compiler.exec.RunOptions;
import dev.attnc.compiler.exec.Spelling;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.tune.ScheduleChoice;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.io.NpyArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code attnc run FILE --pattern P --backend reference -i NAME=X.npy … -o OUT.npy}. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        header = "Run a pattern on NumPy .npy inputs and write the output as .npy.",
        description = {
            "Softmax patterns take q, k, v (and optionally qg, kg, vg, global_mask, key_valid, layout, "
                    + "segment_ids, prefix_len); "
                    + "additive patterns take q, k, v (v omitted when the value shares the query), W_qa, b_qa, "
                    + "W_ka, b_ka, W_r, b_r. Inputs are float32 (float16 and float64 are converted; masks bool or int32 0/1, "
                    + "layout int32), C order; key_valid is a [B, L] mask or [B] lengths; segment_ids is int32 or int64 "
                    + "[B, L] (required by 'segments from input'); prefix_len is [B] int32 or int64 prefix lengths (the "
                    + "'keys from input' / 'queries from input' sets); layout holds key blocks "
                    + "[H, nb, r], or Hugging Face BigBird's [H, nb-2, r]. An input or option the pattern or the "
                    + "backend would not use is an error.",
            "Layouts: bhld = [B, H, L, D]; blhd = token-major [B, L, H, D], or [B, L, H*D] with the head count "
                    + "from --heads or the pattern's 'heads'. k and v (kg, vg) may hold G kv heads dividing H in "
                    + "place of H (grouped-query attention, the pattern's kv_heads when it says one). "
                    + "Additive inputs are always token-major. "
                    + "A q with more heads than tokens is warned about (usually a transposed input).",
            "Backends: java (the pattern's generated Vector-API kernel, compiled in memory; needs a JDK), "
                    + "cuda-emu (the pattern's generated CUDA kernel, unchanged, compiled by g++ under attnc_emu.h and run "
                    + "on the CPU; --dtype f32|f16|bf16; needs g++ and the CUDA headers), "
                    + "reference (the dense oracle, in double precision, O(n^2))."
        },
        footer = ExitCodes.FOOTER)
final class RunCommand implements Callable<Integer> {

    /** The backends {@code run} offers (the library's {@link Backend#NAMES} without {@code cuda}). */
    enum BackendChoice {
        java,
        reference,
        cuda_emu;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    /** {@code cuda-emu} on the command line. */
    static final class BackendConverter implements ITypeConverter<BackendChoice> {
        @Override
        public BackendChoice convert(String value) {
            for (BackendChoice b : BackendChoice.values()) {
                if (b.toString().equals(value)) {
                    return b;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a backend; use java, cuda-emu or reference");
        }
    }

    enum Layout {
        bhld,
        blhd
    }

    /** How the library's messages name options and inputs here: by their flags. */
    static final Spelling FLAGS = new Spelling() {
        @Override
        public String option(String name) {
            return "--" + name;
        }

        @Override
        public String input(String name) {
            return "-i " + name + "=FILE.npy";
        }
    };

    @Parameters(paramLabel = "FILE", description = "a spec file (.attn)")
    String file;

    @Option(
            names = "--pattern",
            paramLabel = "P",
            description = "the pattern to run (default: the file's only pattern)")
    String pattern;

    @Option(
            names = "--schedule",
            paramLabel = "K=V,…",
            description = "schedule overrides for --backend java: qtile, ktile, grain, rows, vecs, bits "
                    + "(default: the schedule tuned on this machine by attnc compile --tune, if any, "
                    + "else the cost model's)")
    String schedule;

    @Option(
            names = "--backend",
            paramLabel = "B",
            defaultValue = "reference",
            converter = BackendConverter.class,
            completionCandidates = BackendNames.class,
            description = "one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    BackendChoice backend;

    @Option(
            names = "--dtype",
            paramLabel = "T",
            defaultValue = "f32",
            description =
                    "element type for --backend cuda-emu: f32, f16, bf16 (inputs are rounded to it; default: ${DEFAULT-VALUE})")
    String dtype;

    static final class BackendNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(BackendChoice.values())
                    .map(BackendChoice::toString)
                    .iterator();
        }
    }

    @Option(
            names = {"-i", "--input"},
            paramLabel = "NAME=FILE.npy",
            required = true,
            description =
                    "an input; NAME is one of: q k v qg kg vg global_mask key_valid layout W_qa b_qa W_ka b_ka W_r b_r "
                            + "segment_ids prefix_len")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT.npy",
            required = true,
            description = "where to write the output")
    String output;

    @Option(
            names = "--layout",
            paramLabel = "bhld|blhd",
            description = "layout of q, k, v and the output (default: bhld)")
    Layout layout;

    @Option(names = "--heads", paramLabel = "H", description = "head count, for token-major inputs")
    Integer heads;

    @Option(
            names = "--layer",
            paramLabel = "L",
            defaultValue = "0",
            description = "layer index (default: ${DEFAULT-VALUE})")
    int layer;

    @Option(
            names = "--verbose",
            description =
                    "print the B, H, L, D read from q (and G, the kv heads read from k, when G != H), and the time of opening (compiling or building) the "
                            + "kernel and of the kernel call")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            return run();
        } catch (RunException e) {
            throw new UserError(e.message(FLAGS));
        } catch (BackendException e) {
            throw new UserError(e.message(FLAGS));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage()); // the kernel API's own validation
        }
    }

    private int run() {
        KernelInputs.checkNames(inputs.keySet());
        ArrayFiles.checkOutput(Path.of(output));
        Pipeline.Result result = SpecFiles.compile(file, spec.commandLine().getErr());
        if (!result.ok()) {
            return ExitCodes.USER_ERROR;
        }
        PatternIR p = SpecFiles.select(result, file, pattern);
        CheckedPattern checked = CheckedPattern.of(result, p);
        checkOptionsApply(p);
        RunOptions options = options();
        if (backend == BackendChoice.java) {
            // Without --schedule, a schedule tuned on this machine (attnc compile --tune) when
            // the tuning cache holds one for this pattern; else the cost model's.
            java.io.PrintWriter err = spec.commandLine().getErr();
            String chosen = ScheduleChoice.standard()
                    .overrides(
                            p,
                            schedule,
                            line -> {
                                if (verbose) {
                                    err.println("attnc: " + line);
                                }
                            },
                            line -> err.println("attnc: warning: " + line));
            options = options.withSchedule(chosen);
        }
        options.check(p);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        inputs.forEach((name, path) -> arrays.put(name, ArrayFiles.read(name, Path.of(path))));
        KernelInputs in = KernelInputs.bind(checked, options, arrays);
        reportShape(p, in);
        if (PatternInputs.readsGlobalMask(p) && !arrays.containsKey("global_mask")) {
            spec.commandLine()
                    .getErr()
                    .println("attnc: note: pattern " + p.name() + " has 'global from input' but no "
                            + FLAGS.input("global_mask") + " was given: it ran with no run-time global tokens");
        }
        if (backend == BackendChoice.cuda_emu) {
            options = options.withDtype(cudaDtype());
        }
        Backend b = Backend.of(backend.toString());
        if (backend == BackendChoice.cuda_emu && b.unavailableReason().isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("attnc: " + p.name() + ".cu for the CPU emulator: built once, cached in "
                            + CudaEmulator.cacheDirectory(p.name()));
        }
        NpyArray out;
        long t0 = System.nanoTime();
        try (BackendKernel kernel = b.open(checked, options)) {
            long t1 = System.nanoTime();
            out = kernel.compute(in);
            long t2 = System.nanoTime();
            if (verbose) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "attnc: %s on %s: opened in %.1f ms, one call %.1f ms%n",
                                p.name(), backend, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            }
        }
        ArrayFiles.write(Path.of(output), out);
        spec.commandLine()
                .getOut()
                .println("wrote " + output + " " + Arrays.toString(out.shape()) + " (" + p.name() + ", backend "
                        + backend + ")");
        return ExitCodes.OK;
    }

    /**
     * The B, H, L, D read from q: printed with --verbose, and as a warning whenever H > L,
     * which is almost always a token-major array given under the other layout.
     */
    private void reportShape(PatternIR p, KernelInputs in) {
        AttentionShape s = in instanceof KernelInputs.Softmax sm
                ? sm.inputs().shape()
                : ((KernelInputs.Additive) in).inputs().shape();
        java.io.PrintWriter err = spec.commandLine().getErr();
        String where = p.isAdditive() ? "token-major" : "layout " + (layout == null ? Layout.bhld : layout);
        if (verbose) {
            // G (kv heads of k and v, read from k's shape) only for grouped-query attention.
            String kv = s.kvHeads() != s.heads() ? " G=" + s.kvHeads() : "";
            err.printf(
                    "attnc: %s: B=%d H=%d%s L=%d D=%d (%s)%n",
                    p.name(), s.batch(), s.heads(), kv, s.length(), s.headDim(), where);
        }
        if (s.heads() > s.length()) {
            String hint = p.isAdditive() || layout == Layout.blhd
                    ? "check that q is token-major [B, L, H*D] or [B, L, H, D]"
                    : "if q is token-major [B, L, H, D], give --layout blhd";
            err.printf(
                    "attnc: warning: q read as H=%d heads of L=%d tokens (%s): more heads than tokens; %s%n",
                    s.heads(), s.length(), where, hint);
        }
    }

    /** Options the chosen backend or the pattern would ignore are refused, not ignored. */
    private void checkOptionsApply(PatternIR p) {
        ParseResult given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--dtype") && backend != BackendChoice.cuda_emu) {
            throw new UserError("--dtype applies to --backend cuda-emu only; drop it for --backend " + backend);
        }
        if (schedule != null && backend != BackendChoice.java) {
            throw new UserError("--schedule applies to --backend java only; drop it for --backend " + backend);
        }
        if (given.hasMatchedOption("--layer") && layer >= 0 && p.layers().isEmpty()) {
            throw new UserError("--layer applies to patterns with 'layers N' (per-layer settings); pattern " + p.name()
                    + " is the same in every layer: drop --layer");
        }
        boolean additive = p.attention() instanceof Attention.Additive;
        if (heads != null && !additive && layout != Layout.blhd) {
            throw new UserError("--heads applies to token-major inputs (--layout blhd); under bhld the head count "
                    + "is q's second dimension: drop --heads");
        }
    }

    private RunOptions options() {
        RunOptions o = RunOptions.defaults().withLayer(layer).withSchedule(schedule);
        if (layout != null) {
            o = o.withLayout(layout == Layout.blhd ? TensorLayout.BLHD : TensorLayout.BHLD);
        }
        return heads == null ? o : o.withHeads(heads);
    }

    private CudaDtype cudaDtype() {
        for (CudaDtype d : CudaDtype.values()) {
            if (d.suffix().equals(dtype)) {
                return d;
            }
        }
        throw new UserError("--dtype '" + dtype + "': use f32, f16 or bf16");
    }
}
