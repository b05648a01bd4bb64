package dev.attnc.compiler.codegen;

import dev.attnc.compiler.PassObserver;
import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.Target;
import dev.attnc.compiler.diag.Diagnostic;
import dev.attnc.compiler.diag.Severity;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.io.AtomicFile;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.schedule.Schedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The code generator behind both clients, the Maven plugin (a spec tree, incremental) and
 * {@code attnc compile} (files named on the command line): selects the specs of a
 * {@link CodegenRequest}, compiles them all, lowers each pattern once and hands the plan to
 * every requested {@link Target}'s emitter, and only when nothing failed writes the Java
 * kernels (with the Maven plugin also their {@code META-INF/services} registrations), and with
 * the CUDA target the {@code .cu} sources, the engine headers and (where nvcc exists) fatbins.
 *
 * <p>Guarantees: every error of every spec is logged ({@code file:line:col} with the source line
 * and a caret) and fails the run, with nothing written; so does a class or file name two
 * patterns share. Warnings are logged as warnings. Outputs are deterministic and written
 * atomically. Incremental runs (a state file) write an output only when its bytes change (so
 * an unchanged output keeps its timestamp); a run whose specs, configuration and generator
 * version match the state file of the last run, and whose outputs all still exist, reads
 * nothing else and writes nothing; outputs of the last run that no spec produces any more (a
 * removed spec) are deleted.
 */
public final class Codegen {

    private static final String ATTENTION_SERVICE = "META-INF/services/dev.attnc.runtime.AttentionKernel";
    private static final String ADDITIVE_SERVICE = "META-INF/services/dev.attnc.runtime.AdditiveKernel";

    private Codegen() {}

    /** A spec to compile, and how diagnostics name it. */
    private record Spec(Path path, String display) {}

    /** One output: its text, and the progress line of a kernel ({@code null} for headers and registrations). */
    private record Output(String text, String progress) {}

    /**
     * Runs {@code r}; diagnostics name spec files of a tree relative to {@code displayBase} (the
     * project directory) when they are under it.
     */
    public static CodegenResult run(CodegenRequest r, CodegenLog log, Path displayBase) throws CodegenException {
        return run(r, log, displayBase, PassObserver.NONE);
    }

    /** As {@link #run(CodegenRequest, CodegenLog, Path)}, reporting passes and dumps to {@code obs}. */
    public static CodegenResult run(CodegenRequest r, CodegenLog log, Path displayBase, PassObserver obs)
            throws CodegenException {
        try {
            Schedule.checkOverrides(r.schedule());
        } catch (IllegalArgumentException e) {
            throw new CodegenException("schedule: " + e.getMessage(), e);
        }
        List<Spec> specs = specs(r, displayBase);
        List<Path> paths = specs.stream().map(Spec::path).toList();
        String key = r.stateFile() == null ? null : CodegenState.key(r, paths);
        if (key != null) {
            List<Path> previous = CodegenState.read(r.stateFile(), key);
            if (previous != null && previous.stream().allMatch(Files::exists)) {
                log.info("attnc: " + specs.size() + " spec(s) up to date, nothing to generate");
                return new CodegenResult(true, paths, List.of(), List.of(), List.of());
            }
        }
        if (specs.isEmpty()) {
            log.warn("attnc: no spec matches " + r.includes() + " in " + r.sourceDir());
        }
        Map<Path, Output> outputs = generate(r, specs, log, obs);
        if (!r.writes()) {
            return new CodegenResult(false, paths, List.of(), List.of(), List.of());
        }
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        try {
            for (Map.Entry<Path, Output> o : outputs.entrySet()) {
                byte[] bytes = o.getValue().text().getBytes(StandardCharsets.UTF_8);
                if (key != null
                        && Files.isRegularFile(o.getKey())
                        && Arrays.equals(Files.readAllBytes(o.getKey()), bytes)) {
                    unchanged.add(o.getKey());
                } else {
                    Files.createDirectories(o.getKey().getParent());
                    AtomicFile.write(o.getKey(), w -> w.write(o.getValue().text()));
                    written.add(o.getKey());
                    if (o.getValue().progress() != null) {
                        log.progress("wrote " + o.getKey() + o.getValue().progress());
                    }
                }
            }
        } catch (IOException e) {
            throw new CodegenException("cannot write generated sources: " + e.getMessage(), e);
        }
        List<Path> produced = new ArrayList<>(outputs.keySet());
        if (r.targets().contains(Target.CUDA)) {
            produced.addAll(FatbinStep.run(r, outputs.keySet(), written, log, obs));
        }
        List<Path> deleted = key == null ? List.of() : deleteStale(r.stateFile(), produced);
        if (key != null) {
            CodegenState.write(r.stateFile(), key, produced);
        }
        log.info("attnc: " + specs.size() + " spec(s): " + written.size() + " file(s) written, " + unchanged.size()
                + " unchanged, " + deleted.size() + " stale removed");
        return new CodegenResult(false, paths, written, unchanged, deleted);
    }

    /** The named files, or the specs of the tree; how diagnostics name each. */
    private static List<Spec> specs(CodegenRequest r, Path displayBase) throws CodegenException {
        List<Spec> specs = new ArrayList<>();
        if (!r.files().isEmpty()) {
            for (String f : r.files()) {
                try {
                    specs.add(new Spec(Path.of(f), f));
                } catch (InvalidPathException e) {
                    throw new CodegenException("'" + f + "' is not a valid file name: " + e.getReason(), e);
                }
            }
            return specs;
        }
        Path base = displayBase == null ? null : displayBase.toAbsolutePath().normalize();
        for (Path spec : select(r)) {
            Path abs = spec.toAbsolutePath().normalize();
            specs.add(new Spec(
                    spec,
                    base != null && abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString()));
        }
        return specs;
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
                        return in.stream().anyMatch(m -> m.matches(rel))
                                && out.stream().noneMatch(m -> m.matches(rel));
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

    /** Compiles every spec, then lowers and emits every pattern: all outputs in memory, by path. */
    private static Map<Path, Output> generate(CodegenRequest r, List<Spec> specs, CodegenLog log, PassObserver obs)
            throws CodegenException {
        List<Pipeline.Result> results = new ArrayList<>();
        int errors = 0;
        for (Spec spec : specs) {
            Pipeline.Result res = Pipeline.compileFile(spec.path(), spec.display(), obs);
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
            throw CodegenException.inSpecs(errors);
        }
        Map<Path, Output> out = new TreeMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        TreeSet<String> softmax = new TreeSet<>();
        TreeSet<String> additive = new TreeSet<>();
        for (int x = 0; x < specs.size(); x++) {
            for (PatternIR p : results.get(x).patterns()) {
                String where = specs.get(x).display() + " (pattern " + p.name() + ")";
                String overrides = r.targets().contains(Target.JAVA)
                        ? r.scheduleChoice()
                                .overrides(p, r.schedule(), m -> log.info("attnc: " + m), m -> log.warn("attnc: " + m))
                        : r.schedule();
                Pipeline.Lowered lowered;
                try {
                    lowered = Pipeline.lower(p, overrides, obs);
                } catch (IllegalArgumentException e) {
                    throw new CodegenException(where + ": schedule " + overrides + ": " + e.getMessage(), e);
                }
                for (Target t : Target.values()) {
                    if (!r.targets().contains(t)) {
                        continue;
                    }
                    Target.Generated g;
                    try {
                        g = Pipeline.emit(lowered, t, r.javaPackage(), obs);
                    } catch (IllegalArgumentException e) {
                        throw new CodegenException(where + ": " + e.getMessage(), e);
                    }
                    String clash = origin.put(g.name(), where);
                    if (clash != null) {
                        throw new CodegenException("two patterns generate " + (t == Target.JAVA ? "class " : "")
                                + g.name() + ": " + clash + " and " + where + "; rename one");
                    }
                    out.put(outputDir(r, t).resolve(g.relativePath()), new Output(g.source(), progress(t, lowered)));
                    if (t == Target.JAVA) {
                        (p.isAdditive() ? additive : softmax).add(g.name());
                    }
                }
            }
        }
        Path resources = r.writes() ? r.resourceOutputDir() : Path.of("");
        if (r.serviceFiles() && !softmax.isEmpty()) {
            out.put(resources.resolve(ATTENTION_SERVICE), new Output(String.join("\n", softmax) + "\n", null));
        }
        if (r.serviceFiles() && !additive.isEmpty()) {
            out.put(resources.resolve(ADDITIVE_SERVICE), new Output(String.join("\n", additive) + "\n", null));
        }
        if (r.targets().contains(Target.CUDA) && !specs.isEmpty()) {
            for (String h : CudaEmitter.HEADERS) {
                out.put(outputDir(r, Target.CUDA).resolve(h), new Output(CudaHeaders.text(h), null));
            }
        }
        return out;
    }

    /** Where {@code t}'s sources go (relative paths when the run writes nothing). */
    private static Path outputDir(CodegenRequest r, Target t) {
        if (!r.writes()) {
            return Path.of(t.word());
        }
        return switch (t) {
            case JAVA -> r.javaOutputDir();
            case CUDA -> r.cudaOutputDir();
        };
    }

    /** What {@code attnc compile} prints after the path of a written kernel. */
    private static String progress(Target t, Pipeline.Lowered l) {
        return switch (t) {
            case JAVA -> " (" + l.plan().pattern() + ", " + l.schedule() + ")";
            case CUDA -> " (" + l.plan().pattern() + ")";
        };
    }

    /** Deletes the outputs of the last run that this run did not produce; returns them. */
    private static List<Path> deleteStale(Path stateFile, List<Path> produced) throws CodegenException {
        Set<Path> now = new HashSet<>();
        produced.forEach(p -> now.add(p.toAbsolutePath().normalize()));
        List<Path> deleted = new ArrayList<>();
        for (Path old : CodegenState.readOutputs(stateFile)) {
            if (!now.contains(old.toAbsolutePath().normalize()) && Files.exists(old)) {
                try {
                    Files.delete(old);
                    deleted.add(old);
                } catch (IOException e) {
                    throw new CodegenException("cannot delete stale output " + old + ": " + e.getMessage(), e);
                }
            }
        }
        return deleted;
    }
}
