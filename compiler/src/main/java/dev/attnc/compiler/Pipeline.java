package dev.attnc.compiler;

import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.frontend.ImportLoader;
import dev.attnc.compiler.frontend.IrBuilder;
import dev.attnc.compiler.frontend.NameResolver;
import dev.attnc.compiler.frontend.PatternChecker;
import dev.attnc.compiler.frontend.SpecParser;
import dev.attnc.compiler.frontend.SpecReader;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.compiler.loops.LoopPrinter;
import dev.attnc.compiler.loops.Lowering;
import dev.attnc.compiler.schedule.CostModel;
import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.compiler.schedule.VectorWidth;
import dev.attnc.compiler.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The compiler's order, in one place (as Halide's {@code Lower.cpp}). The front end, per file:
 * <pre>
 *   read         SpecReader     file → text (refuses binary, huge, unreadable files)
 *   parse        SpecParser     text → AST with spans (syntax errors, nesting limit)
 *   imports      ImportLoader   AST → compilation unit (imports, cycles)
 *   names        NameResolver   duplicate, unknown, self-referring and unsafe names
 *   check        PatternChecker settings, terms, per-head/per-layer values, overrides
 *   lower-to-IR  IrBuilder      AST → pattern IR                                  (--dump=ir)
 * </pre>
 * then the back end, per pattern: {@link #lower} once, and the same plan to every target's
 * emitter ({@link #emit}, {@link Target}):
 * <pre>
 *   schedule     CostModel      pattern IR → schedule (tiles, grain, register block, vector bits); overrides on top
 *   loops        Lowering       pattern IR + schedule → loop IR (slots, key sets, row stride)  (--dump=loops)
 *   emit java    JavaEmitter    loop IR → one Java class (JavaPoet)              (--dump=java)
 *   emit cuda    CudaEmitter    loop IR → one .cu file (a Pattern struct + an entry per dtype)  (--dump=cuda)
 * </pre>
 * and, for the CUDA target where nvcc exists, {@code nvcc} (.cu → fatbin and ptxas report),
 * run by {@code codegen.Codegen}. The names on the left are the pass names of
 * {@link PassObserver#timed} ({@code --time-passes}, {@link PassTimes}).
 *
 * <p>Each front-end stage runs only when the stages before it reported no error, except that
 * the pattern checks also run after name errors; every stage reports all the errors it finds.
 * The back end starts from {@link Result#patterns()}.
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
        return compileFile(path, displayName, PassObserver.NONE);
    }

    /** As {@link #compileFile(Path, String)}, reporting the front end's passes to {@code obs}. */
    public static Result compileFile(Path path, String displayName, PassObserver obs) {
        Diagnostics diags = new Diagnostics();
        Optional<SourceFile> source = obs.time("read", () -> SpecReader.read(path, displayName, diags));
        if (source.isEmpty()) {
            return new Result(List.of(), diags, Optional.empty());
        }
        return compile(source.get(), diags, obs);
    }

    /** Compiles spec text held in memory (imports resolve against the working directory). */
    public static Result compileSource(SourceFile source) {
        return compile(source, new Diagnostics(), PassObserver.NONE);
    }

    /**
     * One pattern lowered for the back ends: the schedule (the cost model's, with overrides) and
     * the loop IR every target's emitter prints.
     */
    public record Lowered(PatternIR pattern, Schedule schedule, KernelPlan plan) {}

    /**
     * The back end's shared half, once per checked pattern: the cost model's schedule for the
     * vector width the overrides name ({@code bits=…}) or else this machine's
     * ({@link VectorWidth#machine()}), with {@code scheduleOverrides}
     * ({@code qtile=…,ktile=…,grain=…,rows=…,vecs=…,bits=…}, may be null) on top, then the loop IR.
     *
     * @throws IllegalArgumentException if the overrides are malformed or out of range
     */
    public static Lowered lower(PatternIR pattern, String scheduleOverrides, PassObserver obs) {
        obs.dump(PassObserver.Dump.IR, () -> IrPrinter.print(pattern));
        Schedule schedule = obs.time(
                "schedule",
                () -> CostModel.choose(pattern, Schedule.bitsOf(scheduleOverrides, VectorWidth.machine()))
                        .with(scheduleOverrides));
        KernelPlan plan = obs.time("loops", () -> Lowering.apply(pattern, schedule));
        obs.dump(PassObserver.Dump.LOOPS, () -> LoopPrinter.print(plan));
        return new Lowered(pattern, schedule, plan);
    }

    /**
     * {@code target}'s emitter on a lowered pattern ({@code javaPackage}: package of Java classes).
     *
     * @throws IllegalArgumentException if the plan is beyond the target's limits
     */
    public static Target.Generated emit(Lowered lowered, Target target, String javaPackage, PassObserver obs) {
        Target.Generated g = obs.time(target.pass(), () -> target.emit(lowered.plan(), javaPackage));
        obs.dump(target.dump(), g::source);
        return g;
    }

    /** What the Java back end made of one pattern. */
    public record JavaOutput(Schedule schedule, KernelPlan plan, String qualifiedName, String source) {}

    /** {@link #lower} and the Java emitter, for callers that want only the Java kernel. */
    public static JavaOutput java(PatternIR pattern, String scheduleOverrides, String packageName) {
        Lowered l = lower(pattern, scheduleOverrides, PassObserver.NONE);
        Target.Generated g = emit(l, Target.JAVA, packageName, PassObserver.NONE);
        return new JavaOutput(l.schedule(), l.plan(), g.name(), g.source());
    }

    /** What the CUDA back end made of one pattern: the loop IR and the {@code .cu} source. */
    public record CudaOutput(KernelPlan plan, String fileName, String source) {}

    /** {@link #lower} and the CUDA emitter, for callers that want only the CUDA source. */
    public static CudaOutput cuda(PatternIR pattern, String scheduleOverrides) {
        Lowered l = lower(pattern, scheduleOverrides, PassObserver.NONE);
        Target.Generated g = emit(l, Target.CUDA, "", PassObserver.NONE);
        return new CudaOutput(l.plan(), g.name(), g.source());
    }

    private static Result compile(SourceFile source, Diagnostics diags, PassObserver obs) {
        return BigStack.call(FRONT_END_STACK, () -> frontEnd(source, diags, obs), diags);
    }

    private static Result frontEnd(SourceFile source, Diagnostics diags, PassObserver obs) {
        FileAst ast = obs.time("parse", () -> SpecParser.parseRoot(source, diags));
        if (ast == null) {
            return new Result(List.of(), diags, Optional.empty());
        }
        CompilationUnit unit = obs.time("imports", () -> ImportLoader.load(ast, diags));
        if (diags.hasErrors()) {
            return new Result(List.of(), diags, Optional.of(unit));
        }
        // Name errors do not stop the pattern checks: they skip references that do not resolve
        // and stop at cycles, so one misspelt name does not hide the other errors of the file.
        obs.run("names", () -> NameResolver.resolve(unit, diags));
        obs.run("check", () -> PatternChecker.check(unit, diags));
        if (diags.hasErrors()) {
            return new Result(List.of(), diags, Optional.of(unit));
        }
        return new Result(obs.time("lower-to-IR", () -> IrBuilder.build(unit)), diags, Optional.of(unit));
    }
}
