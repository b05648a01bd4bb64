package dev.attnc.compiler;

import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.loops.KernelPlan;

/**
 * A back end: which emitter prints a pattern's loop IR, and as what file. Every target starts
 * from the same {@link Pipeline.Lowered} plan; adding a target is one constant here (and, if
 * it has a build step of its own, one step in {@code codegen.Codegen}).
 */
public enum Target {
    /** One Java class per pattern (Vector API), in a package. */
    JAVA("java", "emit java", PassObserver.Dump.JAVA) {
        @Override
        public Generated emit(KernelPlan plan, String javaPackage) {
            String source = JavaEmitter.source(plan, javaPackage);
            return new Generated(
                    this,
                    javaPackage + "." + plan.className(),
                    javaPackage.replace('.', '/') + "/" + plan.className() + ".java",
                    source);
        }
    },
    /** One CUDA C++ file per pattern (a Pattern struct and an entry per dtype). */
    CUDA("cuda", "emit cuda", PassObserver.Dump.CUDA) {
        @Override
        public Generated emit(KernelPlan plan, String javaPackage) {
            String file = CudaEmitter.fileName(plan);
            return new Generated(this, file, file, CudaEmitter.source(plan));
        }
    };

    /**
     * One generated source.
     *
     * @param target       the target that made it
     * @param name         what two patterns must not share: the qualified class name, or the file name
     * @param relativePath where it goes under the target's output directory
     * @param source       the text
     */
    public record Generated(Target target, String name, String relativePath, String source) {}

    private final String word;
    private final String pass;
    private final PassObserver.Dump dump;

    Target(String word, String pass, PassObserver.Dump dump) {
        this.word = word;
        this.pass = pass;
        this.dump = dump;
    }

    /** How users write the target ({@code java}, {@code cuda}). */
    public String word() {
        return word;
    }

    /** The name of this target's emit pass in {@code --time-passes}. */
    String pass() {
        return pass;
    }

    /** The {@code --dump} stage of this target's output. */
    PassObserver.Dump dump() {
        return dump;
    }

    /**
     * Prints {@code plan}; {@code javaPackage} is the package of Java classes (unused by CUDA).
     *
     * @throws IllegalArgumentException if the plan is beyond the target's limits (CUDA: head dim)
     */
    public abstract Generated emit(KernelPlan plan, String javaPackage);
}
