package dev.attnc.compiler.jit;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.kernel.PatternBinding;
import java.util.Map;
import java.util.Optional;

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

    /**
     * Compiles {@code p}'s generated source and instantiates its class, or the nested class
     * {@code suffix}. The class files come from the user's {@link ClassCache} when it holds them
     * (then javac is not run); a cached class that no longer links against this runtime is
     * compiled again.
     */
    private static Object instantiate(PatternIR p, String scheduleOverrides, String suffix) {
        Pipeline.JavaOutput out = Pipeline.java(p, scheduleOverrides, JavaEmitter.DEFAULT_PACKAGE);
        Map<String, String> sources = Map.of(out.qualifiedName(), out.source());
        String name = out.qualifiedName() + suffix;
        ClassLoader parent = KernelCompiler.class.getClassLoader();
        Optional<ClassCache> cache = ClassCache.standard();
        if (cache.isPresent()) {
            try {
                return newInstance(InMemoryJavaCompiler.system().compile(sources, parent, cache.get()), name);
            } catch (LinkageError | CompilationException e) {
                // A stale entry (built by another attnc): compile afresh below, and replace it.
                Map<String, byte[]> fresh = InMemoryJavaCompiler.system().classes(sources);
                cache.get().store(ClassCache.key(sources, InMemoryJavaCompiler.options()), fresh);
                return newInstance(InMemoryJavaCompiler.loader(fresh, parent), name);
            }
        }
        return newInstance(InMemoryJavaCompiler.system().compile(sources, parent), name);
    }

    private static Object newInstance(ClassLoader loader, String name) {
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
