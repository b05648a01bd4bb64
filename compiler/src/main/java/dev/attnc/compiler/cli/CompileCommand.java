package dev.attnc.compiler.cli;

import dev.attnc.compiler.PassObserver;
import dev.attnc.compiler.PassTimes;
import dev.attnc.compiler.Target;
import dev.attnc.compiler.codegen.Codegen;
import dev.attnc.compiler.codegen.CodegenException;
import dev.attnc.compiler.codegen.CodegenLog;
import dev.attnc.compiler.codegen.CodegenRequest;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.compiler.tune.ScheduleCache;
import dev.attnc.compiler.tune.ScheduleChoice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code attnc compile FILE… --target java,cuda --out DIR [--package P] [--arch sm_80,sm_90]
 * [--dump=ir|loops|java|cuda] [--time-passes] [--schedule qtile=…,ktile=…,grain=…,rows=…,vecs=…,bits=…]
 * [--tune] [--verbose]}: one Java
 * source per pattern under {@code DIR/<package>/}, and with the CUDA target one {@code .cu} per
 * pattern (plus the engine headers, and fatbins and ptxas reports where nvcc exists) under
 * {@code DIR/cuda/}. A thin client of {@link Codegen}, the generator the Maven plugin runs: this
 * class checks the options, maps them onto a {@link CodegenRequest} and prints what the
 * generator reports. Every file is compiled before anything is written; a file with errors
 * writes nothing (as ANTLR's tool does), and each source is written atomically.
 *
 * <p>{@code --time-passes} prints, to stderr after the run, one line per pass that ran, summed
 * over every file and pattern, in pipeline order ({@link PassTimes#ORDER}):
 * {@code pass <name>: <milliseconds with three decimals> ms}.
 */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        header = "Generate kernels from spec files.",
        description = {
            "Writes one Java class per pattern (Vector API; softmax patterns extend SparseAttentionKernel, additive "
                    + "ones AdditiveAttentionKernel) under DIR/<package>/. Nothing is written when any file has an error.",
            "--target cuda writes one CUDA C++ file per pattern and the engine headers under DIR/cuda/ and, where nvcc "
                    + "exists, a fatbin per pattern (a cubin per --arch plus PTX of the newest) and its ptxas report.",
            "--dump prints, for every pattern, the pattern IR (ir), the loop IR (loops) or a target's generated source "
                    + "(java, cuda: the target must be among --target) instead of, or as well as, writing.",
            "--time-passes prints one line per compiler pass to stderr: 'pass <name>: <ms> ms', in pipeline order "
                    + "(read, parse, imports, names, check, lower-to-IR, schedule, loops, emit java, emit cuda, nvcc).",
            "--tune times a few candidate schedules of every softmax pattern on this machine (about 2 s each, n = 2048) "
                    + "and keeps the fastest, also for later builds: a build without --schedule uses a schedule tuned on "
                    + "this machine (CPU, cores, vector width, JDK) for the same pattern when there is one, from "
                    + "~/.cache/attnc/schedules.txt (-Dattnc.tune.cache=FILE for another). Off by default."
        },
        footer = ExitCodes.FOOTER)
final class CompileCommand implements Callable<Integer> {

    enum TargetName {
        java(Target.JAVA),
        cuda(Target.CUDA);

        final Target target;

        TargetName(Target target) {
            this.target = target;
        }
    }

    enum Dump {
        ir,
        loops,
        java,
        cuda
    }

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "spec files (.attn)")
    List<String> files = new ArrayList<>();

    @Option(
            names = "--target",
            paramLabel = "T",
            split = ",",
            defaultValue = "java",
            description = "targets, comma separated: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<TargetName> targets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    @Option(
            names = "--package",
            paramLabel = "P",
            defaultValue = JavaEmitter.DEFAULT_PACKAGE,
            description = "Java package of the generated classes (default: ${DEFAULT-VALUE})")
    String packageName;

    @Option(
            names = "--dump",
            paramLabel = "ir|loops|java|cuda",
            split = ",",
            description = "print the pattern IR, the loop IR, or the generated Java or CUDA source of every pattern")
    List<Dump> dumps = new ArrayList<>();

    @Option(names = "--time-passes", description = "print the time of each compiler pass to stderr")
    boolean timePasses;

    @Option(
            names = "--arch",
            paramLabel = "sm_NN,…",
            defaultValue = "sm_80,sm_90",
            description =
                    "CUDA architectures of the fatbins (cubin each, plus PTX of the newest; default: ${DEFAULT-VALUE})")
    String arch;

    @Option(
            names = "--schedule",
            paramLabel = "K=V,…",
            description = "schedule overrides for every pattern: qtile, ktile, grain, rows, vecs, bits "
                    + "(e.g. qtile=32,ktile=64,rows=8,vecs=2); they win over tuned schedules")
    String schedule;

    @Option(
            names = "--tune",
            description =
                    "choose each softmax pattern's schedule by timing a few candidates here, and cache the choice")
    boolean tune;

    @Option(names = "--verbose", description = "say where each schedule came from (tuned, or the tuning cache)")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (out == null && dumps.isEmpty()) {
            throw new UserError("say where to write the sources with --out DIR (or print the IR with --dump=ir|loops)");
        }
        List<CudaArch> archs;
        try {
            archs = CudaArch.parseList(arch);
        } catch (IllegalArgumentException e) {
            throw new UserError("--arch: " + e.getMessage());
        }
        if (!isPackageName(packageName)) {
            throw new UserError("--package '" + packageName
                    + "' is not a Java package name (dot-separated identifiers, " + "no keywords)");
        }
        try {
            Schedule.checkOverrides(schedule);
        } catch (IllegalArgumentException e) {
            throw new UserError("--schedule: " + e.getMessage());
        }
        Set<Target> chosen = EnumSet.noneOf(Target.class);
        targets.forEach(t -> chosen.add(t.target));
        for (Dump d : dumps) {
            if ((d == Dump.java || d == Dump.cuda) && !chosen.contains(TargetName.valueOf(d.name()).target)) {
                throw new UserError("--dump=" + d + " prints the " + d + " target's source: add " + d + " to --target");
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PassTimes times = new Observer(stdout);
        try {
            Codegen.run(
                    CodegenRequest.forFiles(files, out, packageName, chosen, archs, schedule)
                            .withScheduleChoice(new ScheduleChoice(
                                    tune, ScheduleCache.standard(), ScheduleChoice.DEFAULT_BUDGET_NANOS)),
                    log(stdout, stderr, verbose),
                    null,
                    times);
        } catch (CodegenException e) {
            if (e.specErrors() > 0) {
                stderr.println("attnc: nothing written: fix the errors above");
                return ExitCodes.USER_ERROR;
            }
            throw new UserError(e.getMessage());
        } finally {
            stdout.flush();
            if (timePasses) {
                times.lines().forEach(stderr::println);
            }
            stderr.flush();
        }
        return ExitCodes.OK;
    }

    /** Times every pass, and prints the stages asked for with {@code --dump} to stdout. */
    private final class Observer extends PassTimes {
        private final PrintWriter stdout;

        Observer(PrintWriter stdout) {
            this.stdout = stdout;
        }

        @Override
        public boolean wants(PassObserver.Dump stage) {
            return dumps.contains(CompileCommand.Dump.valueOf(stage.name().toLowerCase(Locale.ROOT)));
        }

        @Override
        public void dumped(PassObserver.Dump stage, String text) {
            stdout.print(text);
        }
    }

    /**
     * The generator's reports on the terminal: diagnostics and errors as they are, warnings
     * marked as such, one {@code wrote …} line per kernel on stdout; progress of the build
     * itself ({@code info}) is for build logs and not printed.
     */
    private static CodegenLog log(PrintWriter stdout, PrintWriter stderr, boolean verbose) {
        return new CodegenLog() {
            @Override
            public void info(String message) {
                if (verbose) {
                    stderr.println(message);
                }
            }

            @Override
            public void warn(String message) {
                stderr.println(message.startsWith("attnc: ") ? "attnc: warning: " + message.substring(7) : message);
            }

            @Override
            public void error(String message) {
                stderr.println(message);
            }

            @Override
            public void progress(String message) {
                stdout.println(message);
            }
        };
    }

    static boolean isPackageName(String p) {
        if (p == null || p.isEmpty()) {
            return false;
        }
        for (String part : p.split("\\.", -1)) {
            if (!SourceVersion.isIdentifier(part) || SourceVersion.isKeyword(part)) {
                return false;
            }
        }
        return true;
    }
}
