package dev.attnc.compiler.cli;

import dev.attnc.compiler.io.AtomicFile;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.BuildResult;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.cuda.CudaBuildException;
import dev.attnc.compiler.cuda.FatbinBuilds;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.loops.LoopPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code attnc compile FILE… --target java,cuda --out DIR [--package P] [--arch sm_80,sm_90]
 * [--dump=ir|loops] [--schedule qtile=…,ktile=…,grain=…]}: one Java source per pattern under
 * {@code DIR/<package>/}, and with the CUDA target one {@code .cu} per pattern (plus the engine
 * headers, and fatbins and ptxas reports where nvcc exists) under {@code DIR/cuda/}. Every file is compiled
 * before anything is written; a file with errors writes nothing (as ANTLR's tool does), and
 * each source is written atomically.
 */
@Command(name = "compile",
        mixinStandardHelpOptions = true,
        header = "Generate kernels from spec files.",
        description = {
            "Writes one Java class per pattern (Vector API; softmax patterns extend SparseAttentionKernel, additive "
                    + "ones AdditiveAttentionKernel) under DIR/<package>/. Nothing is written when any file has an error.",
            "--target cuda writes one CUDA C++ file per pattern and the engine headers under DIR/cuda/ and, where nvcc "
                    + "exists, a fatbin per pattern (a cubin per --arch plus PTX of the newest) and its ptxas report.",
            "--dump prints the pattern IR (ir) or the loop IR (loops) of every pattern instead of, or as well as, writing."
        },
        footer = ExitCodes.FOOTER)
final class CompileCommand implements Callable<Integer> {

    enum Target { java, cuda }

    enum Dump { ir, loops }

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "spec files (.attn)")
    List<String> files = new ArrayList<>();

    @Option(names = "--target", paramLabel = "T", split = ",", defaultValue = "java",
            description = "targets, comma separated: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<Target> targets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    @Option(names = "--package", paramLabel = "P", defaultValue = JavaEmitter.DEFAULT_PACKAGE,
            description = "Java package of the generated classes (default: ${DEFAULT-VALUE})")
    String packageName;

    @Option(names = "--dump", paramLabel = "ir|loops", split = ",", description = "print the pattern IR or the loop IR")
    List<Dump> dumps = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "sm_NN,…", defaultValue = "sm_80,sm_90",
            description = "CUDA architectures of the fatbins (cubin each, plus PTX of the newest; default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--schedule", paramLabel = "K=V,…",
            description = "schedule overrides for every pattern: qtile, ktile, grain (e.g. qtile=32,ktile=64)")
    String schedule;

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
            throw new UserError("--package '" + packageName + "' is not a Java package name (dot-separated identifiers, "
                    + "no keywords)");
        }
        List<Pipeline.Result> results = new ArrayList<>();
        boolean ok = true;
        for (String f : files) {
            Pipeline.Result r = SpecFiles.compile(f, spec.commandLine().getErr());
            ok &= r.ok();
            results.add(r);
        }
        if (!ok) {
            spec.commandLine().getErr().println("attnc: nothing written: fix the errors above");
            return ExitCodes.USER_ERROR;
        }
        Map<String, Pipeline.JavaOutput> byClass = new LinkedHashMap<>();
        Map<String, Pipeline.CudaOutput> byCuda = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (int x = 0; x < files.size(); x++) {
            for (PatternIR p : results.get(x).patterns()) {
                Pipeline.JavaOutput o;
                try {
                    o = Pipeline.java(p, schedule, packageName);
                } catch (IllegalArgumentException e) {
                    throw new UserError("--schedule: " + e.getMessage());
                }
                String where = files.get(x) + " (pattern " + p.name() + ")";
                String clash = origin.put(o.qualifiedName(), where);
                if (clash != null) {
                    throw new UserError("two patterns generate class " + o.qualifiedName() + ": " + clash + " and " + where
                            + "; rename one");
                }
                byClass.put(o.qualifiedName(), o);
                if (targets.contains(Target.cuda)) {
                    Pipeline.CudaOutput c;
                    try {
                        c = Pipeline.cuda(p, schedule);
                    } catch (IllegalArgumentException e) {
                        throw new UserError(files.get(x) + ": " + e.getMessage());
                    }
                    byCuda.put(c.fileName(), c);
                }
                if (dumps.contains(Dump.ir)) {
                    spec.commandLine().getOut().print(IrPrinter.print(p));
                }
                if (dumps.contains(Dump.loops)) {
                    spec.commandLine().getOut().print(LoopPrinter.print(o.plan()));
                }
            }
        }
        if (out != null) {
            if (targets.contains(Target.java)) {
                write(byClass);
            }
            if (targets.contains(Target.cuda)) {
                writeCuda(byCuda, archs);
            }
        }
        return ExitCodes.OK;
    }

    private void write(Map<String, Pipeline.JavaOutput> sources) {
        Path dir = out.resolve(packageName.replace('.', '/'));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage());
        }
        for (Pipeline.JavaOutput o : sources.values()) {
            Path file = dir.resolve(o.plan().className() + ".java");
            try {
                AtomicFile.write(file, w -> w.write(o.source()));
            } catch (IOException e) {
                throw new UserError("cannot write " + file + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("wrote " + file + " (" + o.plan().pattern() + ", " + o.schedule() + ")");
        }
    }

    /**
     * CUDA sources and the engine headers they include, under {@code DIR/cuda/}; where nvcc
     * exists also {@code <pattern>.fatbin} (a cubin per arch plus PTX of the newest) and
     * {@code <pattern>.ptxas.txt} (registers, shared memory, spills per entry and arch).
     */
    private void writeCuda(Map<String, Pipeline.CudaOutput> sources, List<CudaArch> archs) {
        Path dir = out.resolve("cuda");
        try {
            Files.createDirectories(dir);
            for (String header : CudaEmitter.HEADERS) {
                String text = CudaHeaders.text(header);
                AtomicFile.write(dir.resolve(header), w -> w.write(text));
            }
        } catch (IOException e) {
            throw new UserError("cannot write " + dir + ": " + e.getMessage());
        }
        List<FatbinBuilds.Job> jobs = new ArrayList<>();
        for (Pipeline.CudaOutput o : sources.values()) {
            Path file = dir.resolve(o.fileName());
            try {
                AtomicFile.write(file, w -> w.write(o.source()));
            } catch (IOException e) {
                throw new UserError("cannot write " + file + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("wrote " + file + " (" + o.plan().pattern() + ")");
            jobs.add(new FatbinBuilds.Job(file, o.plan().pattern()));
        }
        Optional<Nvcc> nvcc = Nvcc.find();
        if (nvcc.isEmpty()) {
            spec.commandLine().getErr().println("attnc: warning: no fatbins: " + Nvcc.unavailableReason().orElse("nvcc not found")
                    + " (the .cu sources are written; build them with nvcc, or set ATTNC_NVCC)");
            return;
        }
        try {
            for (BuildResult b : FatbinBuilds.run(nvcc.get(), jobs, archs, dir, 2)) {
                spec.commandLine().getOut().println("wrote " + b.fatbin() + " (" + archs + ", " + b.elapsed().toMillis() + " ms) and "
                        + b.ptxasReportFile().getFileName());
            }
        } catch (CudaBuildException e) {
            throw new UserError("nvcc failed on a generated kernel (please report it):\n" + e.getMessage());
        }
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
