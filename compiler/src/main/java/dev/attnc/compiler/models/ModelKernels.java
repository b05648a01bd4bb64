package dev.attnc.compiler.models;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.exec.Backend;
import dev.attnc.compiler.exec.BackendKernel;
import dev.attnc.compiler.exec.CheckedPattern;
import dev.attnc.compiler.exec.KernelInputs;
import dev.attnc.compiler.exec.RunOptions;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.model.LayerKernels;
import dev.attnc.runtime.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's kernels, compiled from {@link ModelSpecs} for a backend: {@code java} (the generated
 * Vector-API kernels, compiled in memory once per distinct spec), {@code cuda} (the generated
 * CUDA kernels on the device, through JCuda; the activations go to the device and back per
 * layer) or {@code cuda-emu} (the generated CUDA kernels run on the CPU under the emulation
 * header, for checking them inside a whole model; slow). Close it to release what a backend
 * holds.
 */
public final class ModelKernels implements LayerKernels, AutoCloseable {

    /** The backends a model can run on. */
    public static final List<String> BACKENDS = List.of("java", "cuda-emu", "cuda");

    private final ModelConfig config;
    private final String backend;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();
    private final List<BackendKernel> opened = new ArrayList<>();

    public ModelKernels(ModelConfig config, String backend) {
        if (!BACKENDS.contains(backend)) {
            throw new IllegalArgumentException(
                    "backend '" + backend + "' cannot run a model; use " + String.join(" or ", BACKENDS));
        }
        if (!backend.equals("java")) {
            java.util.Optional<String> why = Backend.of(backend).unavailableReason();
            if (why.isPresent()) {
                throw new IllegalArgumentException("backend " + backend + " cannot run here: " + why.get());
            }
        }
        this.config = config;
        this.backend = backend;
    }

    @Override
    public AttentionKernel attention(int layer, Role role) {
        ModelSpecs.Spec spec = ModelSpecs.of(config, layer, role);
        if (backend.equals("java")) {
            return (AttentionKernel) cache.computeIfAbsent(spec.text(), t -> KernelCompiler.softmax(t, spec.pattern()));
        }
        BackendKernel k = open(spec, layer);
        return new EmulatedAttention(k, spec.pattern());
    }

    @Override
    public AdditiveKernel additive(int layer) {
        ModelSpecs.Spec spec = ModelSpecs.of(config, layer, Role.PATTERN);
        if (backend.equals("java")) {
            return (AdditiveKernel) cache.computeIfAbsent(spec.text(), t -> KernelCompiler.additive(t, spec.pattern()));
        }
        BackendKernel k = open(spec, layer);
        return new EmulatedAdditive(k, spec.pattern(), config.headDim());
    }

    private synchronized BackendKernel open(ModelSpecs.Spec spec, int layer) {
        String key = spec.text() + "\u0000layer " + layer;
        Object k = cache.get(key);
        if (k == null) {
            Pipeline.Result result = Pipeline.compileSource(SourceFile.ofString(spec.pattern() + ".attn", spec.text()));
            if (!result.ok()) {
                throw new IllegalStateException("model spec " + spec.pattern() + " does not compile:\n"
                        + result.diagnostics().render());
            }
            CheckedPattern p = CheckedPattern.of(result, spec.pattern());
            RunOptions options = RunOptions.defaults().withLayer(layer);
            if (!p.ir().isAdditive()) {
                options = options.withLayout(TensorLayout.BLHD);
            }
            BackendKernel opened = Backend.of(backend).open(p, options);
            this.opened.add(opened);
            cache.put(key, opened);
            k = opened;
        }
        return (BackendKernel) k;
    }

    @Override
    public synchronized void close() {
        for (BackendKernel k : opened) {
            k.close();
        }
        opened.clear();
    }

    /** The token-major shape {@code [B, L, H·d]} of a call's output. */
    private static int[] tokenMajor(dev.attnc.runtime.AttentionShape s) {
        return new int[] {s.batch(), s.length(), s.heads() * s.headDim()};
    }

    /** Runs {@code in} on a kernel of another backend and copies its output into {@code out}. */
    private static void run(BackendKernel kernel, KernelInputs in, float[] out) {
        float[] r = kernel.compute(in).floats();
        System.arraycopy(r, 0, out, 0, out.length);
    }

    /** A softmax kernel of another backend behind the kernel API. */
    private record EmulatedAttention(BackendKernel kernel, String name) implements AttentionKernel {
        @Override
        public int headDim() {
            return kernel.pattern().ir().headDim();
        }

        @Override
        public void compute(AttentionInputs in, float[] out) {
            in.checkOutput(out);
            run(kernel, new KernelInputs.Softmax(name, in, tokenMajor(in.shape())), out);
        }
    }

    /** An additive kernel of another backend behind the kernel API. */
    private record EmulatedAdditive(BackendKernel kernel, String name, int headDim) implements AdditiveKernel {
        @Override
        public void compute(AdditiveInputs in, float[] out) {
            in.checkOutput(out);
            run(kernel, new KernelInputs.Additive(name, in, tokenMajor(in.shape())), out);
        }
    }
}
