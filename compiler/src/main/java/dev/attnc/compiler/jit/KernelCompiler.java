package dev.attnc.compiler.jit;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.kernel.PatternBinding;
import java.util.Map;

/**
 * Spec text in, loaded kernel out, at run time (jshell, notebooks, tests): the front end, the
 * Java back end, then javac in memory ({@link InMemoryJavaCompiler}; needs a JDK, and says so
 * on a JRE).
 * <pre>
 *   AttentionKernel k = KernelCompiler.softmax("pattern local { head_dim 64  window 128 }", "local");
 *   float[] out = k.compute(inputs);
 *   PatternBinding b = KernelCompiler.binding(spec, "local");   // the host side alone, e.g. for CUDA
 * </pre>
 * A spec with errors throws {@link IllegalArgumentException} whose message holds every
 * diagnostic, rendered {@code file:line:col} with a caret.
 */
public final class KernelCompiler {

    private KernelCompiler() {}

    /** The softmax kernel of pattern {@code pattern} of {@code spec}. */
    public static AttentionKernel softmax(String spec, String pattern) {
        PatternIR p = pattern(spec, pattern);
        if (p.isAdditive()) {
            throw new IllegalArgumentException(
                    "pattern '" + pattern + "' is additive attention: use KernelCompiler.additive");
        }
        return (AttentionKernel) load(p, null);
    }

    /** The additive (Fastformer) kernel of pattern {@code pattern} of {@code spec}. */
    public static AdditiveKernel additive(String spec, String pattern) {
        PatternIR p = pattern(spec, pattern);
        if (!p.isAdditive()) {
            throw new IllegalArgumentException(
                    "pattern '" + pattern + "' is softmax attention: use KernelCompiler.softmax");
        }
        return (AdditiveKernel) load(p, null);
    }

    /**
     * The host side of softmax pattern {@code pattern} of {@code spec}: the generated
     * {@code <Name>Kernel.Binding}, instantiated without its kernel (what the CUDA host code needs).
     */
    public static PatternBinding binding(String spec, String pattern) {
        return binding(pattern(spec, pattern));
    }

    /** The generated {@code Binding} of a checked softmax pattern, instantiated without its kernel. */
    public static PatternBinding binding(PatternIR p) {
        if (p.isAdditive()) {
            throw new IllegalArgumentException("pattern '" + p.name() + "' is additive attention: it has no binding");
        }
        return (PatternBinding) instantiate(p, null, "$Binding");
    }

    /** A loaded instance of the generated class of a checked pattern ({@code AttentionKernel} or {@code AdditiveKernel}). */
    public static Object load(PatternIR p, String scheduleOverrides) {
        return instantiate(p, scheduleOverrides, "");
    }

    /** Compiles {@code p}'s generated source and instantiates its class, or the nested class {@code suffix}. */
    private static Object instantiate(PatternIR p, String scheduleOverrides, String suffix) {
        Pipeline.JavaOutput out = Pipeline.java(p, scheduleOverrides, JavaEmitter.DEFAULT_PACKAGE);
        ClassLoader loader = InMemoryJavaCompiler.system()
                .compile(Map.of(out.qualifiedName(), out.source()), KernelCompiler.class.getClassLoader());
        String name = out.qualifiedName() + suffix;
        try {
            return loader.loadClass(name).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new CompilationException("cannot instantiate generated " + name + ": " + e);
        }
    }

    private static PatternIR pattern(String spec, String pattern) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("<spec>", spec));
        if (!r.ok()) {
            throw new IllegalArgumentException(
                    "spec has errors:\n" + r.diagnostics().render());
        }
        return r.pattern(pattern)
                .orElseThrow(() -> new IllegalArgumentException("spec has no pattern '" + pattern + "'; it has: "
                        + String.join(
                                ", ", r.patterns().stream().map(PatternIR::name).toList())));
    }
}
