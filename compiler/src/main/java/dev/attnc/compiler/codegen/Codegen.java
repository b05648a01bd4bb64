package dev.attnc.compiler.codegen;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.codegen.CodegenRequest.Target;
import dev.attnc.compiler.cuda.BuildResult;
import dev.attnc.compiler.cuda.CudaBuildException;
import dev.attnc.compiler.cuda.FatbinBuilds;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.diag.Diagnostic;
import dev.attnc.compiler.diag.Severity;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.io.AtomicFile;
import dev.attnc.compiler.ir.PatternIR;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Build-time code generation (what the Maven plugin runs): selects the specs of a
 * {@link CodegenRequest}, compiles them all, and only when none has an error writes the Java
 * kernels, their {@code META-INF/services} registrations, and with the CUDA target the
 * {@code .cu} sources, engine headers and (where nvcc exists) fatbins.
 *
 * <p>Guarantees: every error of every spec is logged ({@code file:line:col} with the source line
 * and a caret) and fails the run, with nothing written; warnings are logged as warnings.
 * Outputs are deterministic, written atomically, and only when their bytes change (so an
 * unchanged output keeps its timestamp). A run whose specs, configuration and generator version
 * match the state file of the last run, and whose outputs all still exist, reads nothing else
 * and writes nothing. Outputs of the last run that no spec produces any more (a removed spec)
 * are deleted.
 */
public final class Codegen {

    /** A nonzero spill in nvcc's output: entry functions and out-of-line device functions alike. */
    private static final java.util.regex.Pattern SPILLS = java.util.regex.Pattern.compile("[1-9][0-9]* bytes spill");


    private static final String ATTENTION_SERVICE = "META-INF/services/dev.attnc.runtime.AttentionKernel";
    private static final String ADDITIVE_SERVICE = "META-INF/services/dev.attnc.runtime.AdditiveKernel";

    private Codegen() {}

    /**
     * Runs {@code r}; diagnostics name spec files relative to {@code displayBase} (the project
     * directory) when they are under it.
     */
    public static CodegenResult run(CodegenRequest r, CodegenLog log, Path displayBase) throws CodegenException {
        List<Path> specs = select(r);
        String key = stateKey(r, specs);
        List<Path> previous = readState(r.stateFile(), key);
        if (previous != null && previous.stream().allMatch(Files::exists)) {
            log.info("attnc: " + specs.size() + " spec(s) up to date, nothing to generate");
            return new CodegenResult(true, specs, List.of(), List.of(), List.of());
        }
        if (specs.isEmpty()) {
            log.warn("attnc: no spec matches " + r.includes() + " in " + r.sourceDir());
        }
        Map<Path, String> outputs = generate(r, specs, log, displayBase);
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        try {
            for (Map.Entry<Path, String> o : outputs.entrySet()) {
                byte[] bytes = o.getValue().getBytes(StandardCharsets.UTF_8);
                if (Files.isRegularFile(o.getKey()) && java.util.Arrays.equals(Files.readAllBytes(o.getKey()), bytes)) {
                    unchanged.add(o.getKey());
                } else {
                    Files.createDirectories(o.getKey().getParent());
                    AtomicFile.write(o.getKey(), w -> w.write(o.getValue()));
                    written.add(o.getKey());
                }
            }
        } catch (IOException e) {
            throw new CodegenException("cannot write generated sources: " + e.getMessage(), e);
        }
        List<Path> produced = new ArrayList<>(outputs.keySet());
        if (r.targets().contains(Target.CUDA)) {
            produced.addAll(fatbins(r, outputs.keySet(), written, log));
        }
        List<Path> deleted = new ArrayList<>();
        java.util.Set<Path> now = new java.util.HashSet<>();
        produced.forEach(p -> now.add(p.toAbsolutePath().normalize()));
        {
            for (Path old : readOutputs(r.stateFile())) {
                if (!now.contains(old.toAbsolutePath().normalize()) && Files.exists(old)) {
                    try {
                        Files.delete(old);
                        deleted.add(old);
                    } catch (IOException e) {
                        throw new CodegenException("cannot delete stale output " + old + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        writeState(r.stateFile(), key, produced);
        log.info("attnc: " + specs.size() + " spec(s): " + written.size() + " file(s) written, " + unchanged.size()
                + " unchanged, " + deleted.size() + " stale removed");
        return new CodegenResult(false, specs, written, unchanged, deleted);
    }

    /** The specs under the source directory that match an include and no exclude, sorted. */
    static List<Path> select(CodegenRequest r) throws CodegenException {
        if (!Files.isDirectory(r.sourceDir())) {
            return List.of();
        }
        List<PathMatcher> in = matchers(r.includes());
        List<PathMatcher> out = matchers(r.excludes());
        try (Stream<Path> files = Files.walk(r.sourceDir())) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        Path rel = r.sourceDir().relativize(f);
                        return in.stream().anyMatch(m -> m.matches(rel)) && out.stream().noneMatch(m -> m.matches(rel));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CodegenException("cannot list " + r.sourceDir() + ": " + e.getMessage(), e);
        }
    }

    /** Glob patterns; {@code **}{@code /x} also matches {@code x} at the top (as Maven's includes do). */
    private static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> m = new ArrayList<>();
        for (String g : globs) {
            m.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
            if (g.startsWith("**/")) {
                m.add(FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)));
            }
        }
        return m;
    }

    private static Map<Path, String> generate(CodegenRequest r, List<Path> specs, CodegenLog log, Path displayBase)
            throws CodegenException {
        List<Pipeline.Result> results = new ArrayList<>();
        int errors = 0;
        for (Path spec : specs) {
            Path abs = spec.toAbsolutePath().normalize();
            Path base = displayBase == null ? null : displayBase.toAbsolutePath().normalize();
            String display = base != null && abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
            Pipeline.Result res = Pipeline.compileFile(spec, display);
            for (Diagnostic d : res.diagnostics().sorted()) {
                if (d.severity() == Severity.ERROR) {
                    log.error(d.render());
                } else {
                    log.warn(d.render());
                }
            }
            errors += res.diagnostics().errorCount();
            results.add(res);
        }
        if (errors > 0) {
            throw new CodegenException(errors + " error(s) in the specs (see above); nothing generated");
        }
        Map<Path, String> out = new TreeMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        TreeSet<String> softmax = new TreeSet<>();
        TreeSet<String> additive = new TreeSet<>();
        Path javaDir = r.javaOutputDir().resolve(r.javaPackage().replace('.', '/'));
        Path cudaDir = r.resourceOutputDir().resolve(CodegenRequest.CUDA_RESOURCES);
        for (int x = 0; x < specs.size(); x++) {
            for (PatternIR p : results.get(x).patterns()) {
                String where = specs.get(x).getFileName() + " (pattern " + p.name() + ")";
                try {
                    if (r.targets().contains(Target.JAVA)) {
                        Pipeline.JavaOutput o = Pipeline.java(p, r.schedule(), r.javaPackage());
                        String clash = origin.put(o.qualifiedName(), where);
                        if (clash != null) {
                            log.error("attnc: two patterns generate class " + o.qualifiedName() + ": " + clash + " and " + where);
                            throw new CodegenException("two patterns generate class " + o.qualifiedName() + "; rename one");
                        }
                        out.put(javaDir.resolve(o.plan().className() + ".java"), o.source());
                        (p.isAdditive() ? additive : softmax).add(o.qualifiedName());
                    }
                    if (r.targets().contains(Target.CUDA)) {
                        Pipeline.CudaOutput c = Pipeline.cuda(p, r.schedule());
                        String clash = origin.put(c.fileName(), where);
                        if (clash != null) {
                            throw new CodegenException("two patterns generate " + c.fileName() + ": " + clash + " and " + where);
                        }
                        out.put(cudaDir.resolve(c.fileName()), c.source());
                    }
                } catch (IllegalArgumentException e) {
                    log.error("attnc: " + where + ": " + e.getMessage());
                    throw new CodegenException(where + ": " + e.getMessage(), e);
                }
            }
        }
        if (!softmax.isEmpty()) {
            out.put(r.resourceOutputDir().resolve(ATTENTION_SERVICE), String.join("\n", softmax) + "\n");
        }
        if (!additive.isEmpty()) {
            out.put(r.resourceOutputDir().resolve(ADDITIVE_SERVICE), String.join("\n", additive) + "\n");
        }
        if (r.targets().contains(Target.CUDA) && !specs.isEmpty()) {
            for (String h : CudaEmitter.HEADERS) {
                out.put(cudaDir.resolve(h), CudaHeaders.text(h));
            }
        }
        return out;
    }

    /**
     * Fatbins of the generated {@code .cu} files whose source changed or whose fatbin is
     * missing; returns every fatbin and report path that belongs to this run's outputs.
     */
    private static List<Path> fatbins(CodegenRequest r, Iterable<Path> outputs, List<Path> written, CodegenLog log)
            throws CodegenException {
        List<Path> sources = new ArrayList<>();
        for (Path p : outputs) {
            if (p.getFileName().toString().endsWith(".cu")) {
                sources.add(p);
            }
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        Optional<Nvcc> nvcc;
        String why;
        if (r.nvcc() != null) {
            Nvcc.Lookup l = Nvcc.locate(Map.of("ATTNC_NVCC", r.nvcc().toString()));
            nvcc = l.nvcc();
            why = l.description();
        } else {
            nvcc = Nvcc.find();
            why = Nvcc.unavailableReason().orElse("");
        }
        if (nvcc.isEmpty()) {
            if (r.failWithoutNvcc()) {
                log.error("attnc: " + why);
                throw new CodegenException("the CUDA target needs nvcc to build fatbins: " + why);
            }
            log.warn("attnc: no CUDA fatbins: " + why + " (the .cu sources are generated; Java kernels are unaffected)");
            return List.of();
        }
        List<Path> produced = new ArrayList<>();
        List<FatbinBuilds.Job> jobs = new ArrayList<>();
        for (Path cu : sources) {
            String base = cu.getFileName().toString().replaceFirst("\\.cu$", "");
            Path fatbin = cu.resolveSibling(base + ".fatbin");
            Path report = cu.resolveSibling(base + ".ptxas.txt");
            produced.add(fatbin);
            produced.add(report);
            if (written.contains(cu) || !Files.exists(fatbin) || !Files.exists(report) || headersChanged(written)) {
                jobs.add(new FatbinBuilds.Job(cu, base));
            }
        }
        if (!jobs.isEmpty()) {
            log.info("attnc: nvcc " + nvcc.get().version() + ": " + jobs.size() + " fatbin(s) for " + r.archs());
            try {
                for (BuildResult b : FatbinBuilds.run(nvcc.get(), jobs, r.archs(), sources.get(0).getParent(), 2)) {
                    written.add(b.fatbin());
                    written.add(b.ptxasReportFile());
                    if (SPILLS.matcher(b.diagnostics()).find()) {
                        log.warn("attnc: " + b.fatbin().getFileName() + ": ptxas reports register spills (see "
                                + b.ptxasReportFile().getFileName() + "); the kernel works but runs slower");
                    }
                }
            } catch (CudaBuildException e) {
                log.error(e.getMessage());
                throw new CodegenException("nvcc failed on a generated kernel (please report it)", e);
            }
        }
        return produced;
    }

    private static boolean headersChanged(List<Path> written) {
        return written.stream().anyMatch(p -> CudaEmitter.HEADERS.contains(p.getFileName().toString()));
    }

    // ---- the stale check ---------------------------------------------------------------------

    private static String stateKey(CodegenRequest r, List<Path> specs) throws CodegenException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(r.fingerprint().getBytes(StandardCharsets.UTF_8));
            for (Path s : specs) {
                md.update(("\n" + r.sourceDir().relativize(s) + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(s));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new CodegenException("cannot read specs: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outputs of the last run if its key is {@code key}, else null. */
    private static List<Path> readState(Path file, String key) {
        Properties p = load(file);
        if (p == null || !key.equals(p.getProperty("key"))) {
            return null;
        }
        return outputs(p);
    }

    private static List<Path> readOutputs(Path file) {
        Properties p = load(file);
        return p == null ? List.of() : outputs(p);
    }

    private static List<Path> outputs(Properties p) {
        List<Path> out = new ArrayList<>();
        int count = Integer.parseInt(p.getProperty("outputs", "0"));
        for (int x = 0; x < count; x++) {
            String v = p.getProperty("output." + x);
            if (v != null) {
                out.add(Path.of(v));
            }
        }
        return out;
    }

    private static Properties load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return p;
        } catch (IOException | IllegalArgumentException e) {
            return null;   // a damaged state file: regenerate
        }
    }

    private static void writeState(Path file, String key, List<Path> outputs) throws CodegenException {
        StringBuilder sb = new StringBuilder("# attnc code generation state: what the last run read (key) and wrote\n");
        sb.append("key=").append(key).append('\n');
        sb.append("outputs=").append(outputs.size()).append('\n');
        for (int x = 0; x < outputs.size(); x++) {
            sb.append("output.").append(x).append('=')
                    .append(outputs.get(x).toAbsolutePath().normalize().toString().replace("\\", "\\\\")).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFile.write(file, w -> w.write(sb.toString()));
        } catch (IOException e) {
            throw new CodegenException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
