package dev.attnc.compiler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Golden files: expected output kept as text under {@code compiler/src/test/resources/golden/<kind>/},
 * compared exactly (line endings normalised to {@code \n}). Run the tests with
 * {@code -Dattnc.update.golden=true} to rewrite the files from the actual output instead;
 * every rewritten file is named on stderr, so an update is never silent, and the diff is
 * then reviewed in git like any other change.
 *
 * <p>One instance serves one kind of output, e.g. {@code Golden.of("ir", ".ir")}; the Java and
 * CUDA emitter tests use their own kinds. {@link #beside} keeps the expected files next to the
 * inputs instead ({@code diagnostics/<case>.attn} and {@code diagnostics/<case>.expected}).
 */
public final class Golden {

    /** The system property that switches from comparing to rewriting (passed through by surefire). */
    public static final String UPDATE_PROPERTY = "attnc.update.golden";

    /** Where golden files live, relative to the compiler module. */
    private static final String ROOT = "src/test/resources/golden";

    private final String extension;
    private final Path dir;

    private Golden(String extension, Path dir) {
        this.extension = extension;
        this.dir = dir;
    }

    /** The golden files of one kind, {@code golden/<kind>/<name><extension>}. */
    public static Golden of(String kind, String extension) {
        return new Golden(extension, moduleDir().resolve(ROOT).resolve(kind));
    }

    /**
     * Golden files beside their inputs, {@code src/test/resources/<folder>/<name><extension>}
     * (the inputs being other files of that folder).
     */
    public static Golden beside(String folder, String extension) {
        return new Golden(extension, moduleDir().resolve("src/test/resources").resolve(folder));
    }

    /** True when the run rewrites golden files instead of comparing them. */
    public static boolean updating() {
        return Boolean.parseBoolean(System.getProperty(UPDATE_PROPERTY, "false").trim());
    }

    /** The golden file for {@code name}. */
    public Path file(String name) {
        return dir.resolve(name + extension);
    }

    /**
     * Compares {@code actual} with the golden file of {@code name}, or rewrites the file when
     * {@link #updating()}. A missing file fails (with the command that creates it).
     */
    public void check(String name, String actual) {
        String normalised = normalise(actual);
        Path file = file(name);
        if (updating()) {
            write(file, normalised);
            return;
        }
        if (!Files.isRegularFile(file)) {
            fail("missing golden file " + display(file) + "\n" + howToUpdate());
        }
        String expected = normalise(read(file));
        assertEquals(
                expected, normalised, () -> "output differs from golden file " + display(file) + "\n" + howToUpdate());
    }

    /**
     * Fails when the folder holds golden files for names not in {@code names} (a spec, kernel
     * or test case that disappeared); when updating, deletes them instead.
     */
    public void checkNoOthers(Set<String> names) {
        List<Path> stale = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(extension))
                        .filter(p -> !names.contains(stripExtension(p)))
                        .sorted()
                        .forEach(stale::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        if (updating()) {
            for (Path p : stale) {
                try {
                    Files.delete(p);
                    System.err.println("golden: deleted stale " + display(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return;
        }
        Set<String> shown = new TreeSet<>();
        stale.forEach(p -> shown.add(display(p)));
        fail("golden files without a source: " + shown + "\n" + howToUpdate());
    }

    /** The command that rewrites the golden files, for failure messages. */
    public String howToUpdate() {
        return "If the change is intended, rewrite the golden files and review the diff:\n"
                + "  ./mvnw -q -pl compiler -am test -Dtest='" + callerTestClass()
                + "' -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROPERTY + "=true\n"
                + "  git diff " + display(dir);
    }

    private String stripExtension(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.length() - extension.length());
    }

    private static void write(Path file, String text) {
        try {
            String old = Files.isRegularFile(file) ? normalise(read(file)) : null;
            if (text.equals(old)) {
                return;
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.err.println("golden: " + (old == null ? "created " : "updated ") + display(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String normalise(String s) {
        String t = s.replace("\r\n", "\n");
        return t.endsWith("\n") ? t : t + "\n";
    }

    /** The compiler module's directory: surefire's {@code basedir}, else the working directory. */
    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        return (basedir == null || basedir.isBlank() ? Path.of("") : Path.of(basedir))
                .toAbsolutePath()
                .normalize();
    }

    /** A path as the project names it: {@code compiler/src/test/resources/golden/…}. */
    private static String display(Path file) {
        Path module = moduleDir();
        Path rel = file.toAbsolutePath().normalize().startsWith(module)
                ? module.relativize(file.toAbsolutePath().normalize())
                : file;
        return "compiler/" + rel.toString().replace('\\', '/');
    }

    /** The simple name of the test class that called into this helper. */
    private static String callerTestClass() {
        return StackWalker.getInstance()
                .walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                        .filter(c -> !c.startsWith(Golden.class.getName())
                                && !c.startsWith("org.junit.")
                                && !c.startsWith("java.")
                                && !c.startsWith("jdk."))
                        .findFirst()
                        .map(c -> c.substring(c.lastIndexOf('.') + 1).replaceFirst("\\$.*", ""))
                        .orElse("*Golden*"));
    }
}
