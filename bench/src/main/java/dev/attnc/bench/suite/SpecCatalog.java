package dev.attnc.bench.suite;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every pattern of every spec in a {@code specs/} folder, compiled by the front end
 * ({@link Pipeline#compileFile}), in file then declaration order. The benchmarks and the suite
 * take pattern names, head dims, fixed head counts and masks from here, so the grid follows the
 * specs as they are.
 */
public final class SpecCatalog {

    /** System property naming the specs folder; default {@code specs} (the repository root's). */
    public static final String SPECS_PROPERTY = "attnc.specs";

    /**
     * Patterns the grid adds to the specs': Fastformer's official code at BERT size (12 heads ×
     * 64, E = 768), beside the official configuration (16 × 16) of {@code specs/fastformer.attn}.
     * Compiled at set-up with {@code KernelCompiler}, as {@code attnc run} does.
     */
    public static final String EXTRA_SPEC = "pattern fastformer_bert { head_dim 64  heads 12  additive }";

    /** The display name of {@link #EXTRA_SPEC}. */
    public static final String EXTRA_SPEC_NAME = "bench-extra.attn";

    /**
     * One pattern: its IR and the compilation unit of the file that declares it ({@code file} is
     * null for the patterns of {@link #EXTRA_SPEC}, which are not in the generated library).
     */
    public record Entry(Path file, PatternIR pattern, CompilationUnit unit) {
        public String name() {
            return pattern.name();
        }

        /** Whether the generated library ({@code generated/}) holds this pattern's kernel. */
        public boolean inLibrary() {
            return file != null;
        }
    }

    private final Path folder;
    private final List<Path> files;
    private final Map<String, Entry> byName;

    private SpecCatalog(Path folder, List<Path> files, Map<String, Entry> byName) {
        this.folder = folder;
        this.files = files;
        this.byName = byName;
    }

    /** The folder named by {@value #SPECS_PROPERTY}, or {@code specs} in the working directory. */
    public static Path folder() {
        return Path.of(System.getProperty(SPECS_PROPERTY, "specs"));
    }

    /** The catalog of {@link #folder()}. */
    public static SpecCatalog load() {
        return load(folder());
    }

    /**
     * Compiles every {@code *.attn} file of {@code folder}.
     *
     * @throws IllegalArgumentException if the folder has no spec file or a spec has errors
     */
    public static SpecCatalog load(Path folder) {
        List<Path> files = specFiles(folder);
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Path f : files) {
            Pipeline.Result r = Pipeline.compileFile(f, f.getFileName().toString());
            if (!r.ok()) {
                throw new IllegalArgumentException(
                        "spec " + f + " has errors:\n" + r.diagnostics().render());
            }
            for (PatternIR p : r.patterns()) {
                byName.putIfAbsent(p.name(), new Entry(f, p, r.unit().orElseThrow()));
            }
        }
        Pipeline.Result extra = Pipeline.compileSource(SourceFile.ofString(EXTRA_SPEC_NAME, EXTRA_SPEC));
        if (!extra.ok()) {
            throw new IllegalStateException(
                    EXTRA_SPEC_NAME + " has errors:\n" + extra.diagnostics().render());
        }
        for (PatternIR p : extra.patterns()) {
            byName.putIfAbsent(p.name(), new Entry(null, p, extra.unit().orElseThrow()));
        }
        return new SpecCatalog(folder, files, Collections.unmodifiableMap(byName));
    }

    /** The {@code *.attn} files of {@code folder}, sorted by name. */
    public static List<Path> specFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("specs folder " + folder.toAbsolutePath()
                    + " does not exist: run from the repository root or set -D" + SPECS_PROPERTY + "=<folder>");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith(".attn")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("specs folder " + folder.toAbsolutePath() + " has no *.attn file");
        }
        return List.copyOf(files);
    }

    /** The folder this catalog was loaded from. */
    public Path specsFolder() {
        return folder;
    }

    public List<Path> files() {
        return files;
    }

    /** Every pattern, in file then declaration order, then those of {@link #EXTRA_SPEC}. */
    public List<Entry> entries() {
        return List.copyOf(byName.values());
    }

    /** The pattern {@code name}; the error lists the patterns there are. */
    public Entry entry(String name) {
        Entry e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no pattern '" + name + "' in " + folder + "; found " + byName.keySet());
        }
        return e;
    }
}
