package dev.attnc.compiler.cli;

import dev.attnc.compiler.jit.CompilationException;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.kernel.AdditiveAttentionKernel;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuBuildException;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.runtime.kernel.PatternBinding;
import dev.attnc.compiler.interp.ReferenceAttention;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.TensorLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code attnc run FILE --pattern P --backend reference -i NAME=X.npy … -o OUT.npy}. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        header = "Run a pattern on NumPy .npy inputs and write the output as .npy.",
        description = {
            "Softmax patterns take q, k, v (and optionally qg, kg, vg, global_mask, key_valid, layout); "
                    + "additive patterns take q, k, v (v omitted when the value shares the query), W_qa, b_qa, "
                    + "W_ka, b_ka, W_r, b_r. Inputs are float32 (masks bool or int32 0/1, layout int32), C order.",
            "Layouts: bhld = [B, H, L, D]; blhd = token-major [B, L, H*D], which needs the head count "
                    + "(--heads, or the pattern's 'heads'). Additive inputs are always token-major.",
            "Backends: java (the pattern's generated Vector-API kernel, compiled in memory; needs a JDK), "
                    + "cuda-emu (the pattern's generated CUDA kernel, unchanged, compiled by g++ under attnc_emu.h and run "
                    + "on the CPU; --dtype f32|f16|bf16; needs g++ and the CUDA headers), "
                    + "reference (the dense oracle, in double precision, O(n^2))."
        },
        footer = ExitCodes.FOOTER)
final class RunCommand implements Callable<Integer> {

    /** Every input name {@code run} and the kernel API know. */
    static final List<String> NAMES = List.of("q", "k", "v", "qg", "kg", "vg", "global_mask", "key_valid", "layout",
            "W_qa", "b_qa", "W_ka", "b_ka", "W_r", "b_r");

    enum Backend {
        java, reference, cuda_emu;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    /** {@code cuda-emu} on the command line. */
    static final class BackendConverter implements picocli.CommandLine.ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            for (Backend b : Backend.values()) {
                if (b.toString().equals(value)) {
                    return b;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a backend; use java, cuda-emu "
                    + "or reference");
        }
    }

    enum Layout { bhld, blhd }

    @Parameters(paramLabel = "FILE", description = "a spec file (.attn)")
    String file;

    @Option(names = "--pattern", paramLabel = "P", description = "the pattern to run (default: the file's only pattern)")
    String pattern;

    @Option(names = "--schedule", paramLabel = "K=V,…", description = "schedule overrides for --backend java: qtile, ktile, grain")
    String schedule;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "reference", converter = BackendConverter.class,
            completionCandidates = BackendNames.class,
            description = "one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Backend backend;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "f32",
            description = "element type for --backend cuda-emu: f32, f16, bf16 (inputs are rounded to it; default: ${DEFAULT-VALUE})")
    String dtype;

    static final class BackendNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Backend.values()).map(Backend::toString).iterator();
        }
    }

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy", required = true,
            description = "an input; NAME is one of: q k v qg kg vg global_mask key_valid layout W_qa b_qa W_ka b_ka W_r b_r")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy", required = true, description = "where to write the output")
    String output;

    @Option(names = "--layout", paramLabel = "bhld|blhd", description = "layout of q, k, v and the output (default: bhld)")
    Layout layout;

    @Option(names = "--heads", paramLabel = "H", description = "head count, for token-major inputs")
    Integer heads;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "0", description = "layer index (default: ${DEFAULT-VALUE})")
    int layer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String name : inputs.keySet()) {
            if (!NAMES.contains(name)) {
                throw new UserError("unknown input '" + name + "'; the inputs are: " + String.join(" ", NAMES));
            }
        }
        Pipeline.Result result = SpecFiles.compile(file, spec.commandLine().getErr());
        if (!result.ok()) {
            return ExitCodes.USER_ERROR;
        }
        PatternIR p = SpecFiles.select(result, file, pattern);
        if (layer < 0 || (p.layers().isPresent() && layer >= p.layers().getAsInt())) {
            throw new UserError("--layer " + layer + " is out of range" + (p.layers().isPresent()
                    ? ": the pattern has " + p.layers().getAsInt() + " layers" : ""));
        }
        Map<String, InputArray> arrays = new LinkedHashMap<>();
        inputs.forEach((name, path) -> arrays.put(name, ArrayFiles.read(name, Path.of(path))));
        float[] out;
        int[] outShape;
        try {
            if (p.attention() instanceof Attention.Additive a) {
                if (layout == Layout.bhld) {
                    throw new UserError("additive patterns take token-major inputs [B, L, H*D]; drop --layout bhld");
                }
                AdditiveInputs in = inputs().additive(p, a, arrays);
                outShape = arrays.get("q").shape();
                out = switch (backend) {
                    case java -> ((AdditiveKernel) kernel(p)).compute(in);
                    case cuda_emu -> {
                        AdditiveAttentionKernel java = (AdditiveAttentionKernel) kernel(p);
                        java.check(in, new float[in.shape().elements()]);
                        yield emulator(p).additive(p.name(), cudaDtype(), in);
                    }
                    case reference -> toFloats(AdditiveReference.attention(in, p.effectiveScale()));
                };
            } else {
                AttentionInputs in = inputs().softmax(p, arrays);
                outShape = arrays.get("q").shape();
                out = switch (backend) {
                    case java -> ((AttentionKernel) kernel(p)).compute(in);
                    case cuda_emu -> emulator(p).softmax(p.name(), cudaDtype(), binding(p), in);
                    case reference -> toFloats(ReferenceAttention.compute(result.unit().orElseThrow(), p.name(), in,
                            p.effectiveScale()));
                };
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        ArrayFiles.write(Path.of(output), out, outShape);
        spec.commandLine().getOut().println("wrote " + output + " " + java.util.Arrays.toString(outShape) + " (" + p.name()
                + ", backend " + backend + ")");
        return ExitCodes.OK;
    }

    /** The generated kernel of {@code p}, compiled in memory; kernel argument errors are user errors. */
    private Object kernel(PatternIR p) {
        try {
            return KernelCompiler.load(p, schedule);
        } catch (IllegalArgumentException e) {
            throw new UserError("--schedule: " + e.getMessage());
        } catch (CompilationException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The host side of softmax pattern {@code p} alone (no Java kernel), compiled in memory, for cuda-emu. */
    private static PatternBinding binding(PatternIR p) {
        try {
            return KernelCompiler.binding(p);
        } catch (CompilationException e) {
            throw new UserError(e.getMessage());
        }
    }

    private CudaEmitter.Dtype cudaDtype() {
        for (CudaEmitter.Dtype d : CudaEmitter.Dtype.values()) {
            if (d.suffix.equals(dtype)) {
                return d;
            }
        }
        throw new UserError("--dtype '" + dtype + "': use f32, f16 or bf16");
    }

    /**
     * The pattern's CUDA kernel built for the CPU emulator, in a cache under the temp directory
     * (the build is keyed by the sources' hash: a second run with the same spec starts at once).
     */
    private CudaEmulator emulator(PatternIR p) {
        cudaDtype();
        EmuToolchain.unavailableReason().ifPresent(r -> {
            throw new UserError("--backend cuda-emu: " + r);
        });
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "attnc-emu-" + System.getProperty("user.name", "user"),
                p.name());
        spec.commandLine().getErr().println("attnc: " + p.name() + ".cu for the CPU emulator: built once, cached in " + cache + ")");
        try {
            return CudaEmulator.build(cache, List.of(Pipeline.cuda(p, null).plan()), EmuToolchain.Sanitizer.NONE);
        } catch (EmuBuildException e) {
            throw new UserError("--backend cuda-emu: the host compiler failed on the generated kernel:\n" + e.getMessage());
        }
    }

    private RunInputs inputs() {
        return new RunInputs(layout == Layout.blhd ? TensorLayout.BLHD : TensorLayout.BHLD, heads, layer);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
