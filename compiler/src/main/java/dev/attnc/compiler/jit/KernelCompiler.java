package dev.attnc.compiler.jit;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionKernel;
import java.util.Map;

/**
 * Spec text in, loaded kernel out, at run time (jshell, notebooks, tests): the front end, the
 * Java back end, then javac in memory ({@link InMemoryJavaCompiler}; needs a JDK, and says so
 * on a JRE).
 * <pre>
 *   AttentionKernel k = KernelCompiler.softmax("pattern local { head_dim 64  window 128 }", "local");
 *   float[] out = k.compute(inputs);
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
            throw new IllegalArgumentException("pattern '" + pattern + "' is additive attention: use KernelCompiler.additive");
        }
        return (AttentionKernel) load(p, null);
    }

    /** The additive (Fastformer) kernel of pattern {@code pattern} of {@code spec}. */
    public static AdditiveKernel additive(String spec, String pattern) {
        PatternIR p = pattern(spec, pattern);
        if (!p.isAdditive()) {
            throw new IllegalArgumentException("pattern '" + pattern + "' is softmax attention: use KernelCompiler.softmax");
        }
        return (AdditiveKernel) load(p, null);
    }

    /** A loaded instance of the generated class of a checked pattern ({@code AttentionKernel} or {@code AdditiveKernel}). */
    public static Object load(PatternIR p, String scheduleOverrides) {
        Pipeline.JavaOutput out = Pipeline.java(p, scheduleOverrides, JavaEmitter.DEFAULT_PACKAGE);
        ClassLoader loader = InMemoryJavaCompiler.system().compile(Map.of(out.qualifiedName(), out.source()),
                KernelCompiler.class.getClassLoader());
        try {
            return loader.loadClass(out.qualifiedName()).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new CompilationException("cannot instantiate generated " + out.qualifiedName() + ": " + e);
        }
    }

    private static PatternIR pattern(String spec, String pattern) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("<spec>", spec));
        if (!r.ok()) {
            throw new IllegalArgumentException("spec has errors:\n" + r.diagnostics().render());
        }
        return r.pattern(pattern).orElseThrow(() -> new IllegalArgumentException("spec has no pattern '" + pattern
                + "'; it has: " + String.join(", ", r.patterns().stream().map(PatternIR::name).toList())));
    }
}
