package dev.attnc.compiler;

import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.compiler.loops.Lowering;
import dev.attnc.compiler.schedule.CostModel;
import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.frontend.ImportLoader;
import dev.attnc.compiler.frontend.IrBuilder;
import dev.attnc.compiler.frontend.NameResolver;
import dev.attnc.compiler.frontend.PatternChecker;
import dev.attnc.compiler.frontend.SpecParser;
import dev.attnc.compiler.frontend.SpecReader;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The compiler's order, in one place (as Halide's {@code Lower.cpp}):
 * <pre>
 *   read       SpecReader     file → text (refuses binary, huge, unreadable files)
 *   parse      SpecParser     text → AST with spans (syntax errors, nesting limit)
 *   imports    ImportLoader   AST → compilation unit (imports, cycles)
 *   names      NameResolver   duplicate, unknown, self-referring and unsafe names
 *   check      PatternChecker settings, terms, per-head/per-layer values, overrides
 *   lower      IrBuilder      AST → pattern IR
 * </pre>
 * and the Java back end ({@link #java}), per pattern:
 * <pre>
 *   schedule   CostModel      pattern IR → schedule (tile sizes, grain); CLI overrides on top
 *   loops      Lowering       pattern IR + schedule → loop IR (slots, key sets, row stride)
 *   emit       JavaEmitter    loop IR → one Java class (JavaPoet)
 * </pre>
 * and the CUDA back end ({@link #cuda}), from the same loop IR:
 * <pre>
 *   emit       CudaEmitter    loop IR → one .cu file (a Pattern struct + an entry per dtype)
 *   build      Nvcc           .cu → fatbin (cubin per arch + PTX) and the ptxas report, where nvcc exists
 * </pre>
 * Each stage runs only when the stages before it reported no error, except that the pattern
 * checks also run after name errors; every stage reports all the errors it finds. Back-end stages (analysis, schedule, loop IR, emitters) start
 * from {@link Result#patterns()}.
 */
public final class Pipeline {

    /** Stack for the front end: deep but legal inputs (long unions) must not overflow. */
    private static final long FRONT_END_STACK = 256L << 20;

    private Pipeline() {}

    /** What a compile produced: the IR of the root file's patterns, when there was no error. */
    public record Result(List<PatternIR> patterns, Diagnostics diagnostics, Optional<CompilationUnit> unit) {
        public boolean ok() {
            return !diagnostics.hasErrors();
        }

        public Optional<PatternIR> pattern(String name) {
            return patterns.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    /** Compiles a spec file; {@code displayName} is how diagnostics name it. */
    public static Result compileFile(Path path, String displayName) {
        Diagnostics diags = new Diagnostics();
        Optional<SourceFile> source = SpecReader.read(path, displayName, diags);
        if (source.isEmpty()) {
            return new Result(List.of(), diags, Optional.empty());
        }
        return compile(source.get(), diags);
    }

    /** Compiles spec text held in memory (imports resolve against the working directory). */
    public static Result compileSource(SourceFile source) {
        return compile(source, new Diagnostics());
    }

    /** What the Java back end made of one pattern. */
    public record JavaOutput(Schedule schedule, KernelPlan plan, String qualifiedName, String source) {}

    /**
     * The Java back end of one checked pattern: the cost model's schedule with
     * {@code scheduleOverrides} ({@code qtile=…,ktile=…,grain=…}, may be null) on top, the loop
     * IR, and the generated source in {@code packageName}.
     */
    public static JavaOutput java(PatternIR pattern, String scheduleOverrides, String packageName) {
        Schedule schedule = CostModel.choose(pattern).with(scheduleOverrides);
        KernelPlan plan = Lowering.apply(pattern, schedule);
        String source = JavaEmitter.source(plan, packageName);
        return new JavaOutput(schedule, plan, packageName + "." + plan.className(), source);
    }

    /** What the CUDA back end made of one pattern: the loop IR and the {@code .cu} source. */
    public record CudaOutput(KernelPlan plan, String fileName, String source) {}

    /**
     * The CUDA back end of one checked pattern: the loop IR (the same as {@link #java}'s, the
     * schedule only names the Java engine's tiles) printed as CUDA C++ by {@link CudaEmitter}.
     */
    public static CudaOutput cuda(PatternIR pattern, String scheduleOverrides) {
        Schedule schedule = CostModel.choose(pattern).with(scheduleOverrides);
        KernelPlan plan = Lowering.apply(pattern, schedule);
        return new CudaOutput(plan, CudaEmitter.fileName(plan), CudaEmitter.source(plan));
    }

    private static Result compile(SourceFile source, Diagnostics diags) {
        return BigStack.call(FRONT_END_STACK, () -> frontEnd(source, diags), diags);
    }

    private static Result frontEnd(SourceFile source, Diagnostics diags) {
        FileAst ast = SpecParser.parse(source, diags);
        if (ast == null) {
            return new Result(List.of(), diags, Optional.empty());
        }
        CompilationUnit unit = ImportLoader.load(ast, diags);
        if (diags.hasErrors()) {
            return new Result(List.of(), diags, Optional.of(unit));
        }
        // Name errors do not stop the pattern checks: they skip references that do not resolve
        // and stop at cycles, so one misspelt name does not hide the other errors of the file.
        NameResolver.resolve(unit, diags);
        PatternChecker.check(unit, diags);
        if (diags.hasErrors()) {
            return new Result(List.of(), diags, Optional.of(unit));
        }
        return new Result(IrBuilder.build(unit), diags, Optional.of(unit));
    }
}
