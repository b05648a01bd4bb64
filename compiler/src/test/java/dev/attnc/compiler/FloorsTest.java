package dev.attnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compiler's floors, kept by a test: a package may import only packages on lower floors
 * (the package docs say the same in words). Read from the sources' import lines, so a new
 * arrow that runs back up — the loop IR importing an emitter, the front end importing the
 * back end, anything importing the command line — fails here with the file and the import.
 */
class FloorsTest {

    /** Each package of the compiler module and its floor; a package imports only lower floors. */
    private static final Map<String, Integer> FLOORS = Map.ofEntries(
            Map.entry("source", 0),
            Map.entry("io", 0),
            Map.entry("ir", 0),
            Map.entry("ast", 1),
            Map.entry("diag", 1),
            Map.entry("schedule", 1),
            Map.entry("frontend", 2),
            Map.entry("loops", 2),
            Map.entry("interp", 3),
            Map.entry("emit", 3),
            Map.entry("", 4), // Pipeline, Target: the driver
            Map.entry("cuda", 4),
            Map.entry("inspect", 5),
            Map.entry("jit", 5),
            Map.entry("exec", 6),
            Map.entry("tune", 6), // measures kernels compiled in memory (jit)
            Map.entry("codegen", 7), // asks tune for a schedule
            Map.entry("models", 7),
            Map.entry("cli", 8));

    private static final String ROOT = "dev.attnc.compiler";
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+)[.;]");

    @Test
    void everyPackageImportsOnlyLowerFloors() {
        List<String> wrong = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Path file : sources()) {
            String text = read(file);
            Matcher pm = PACKAGE.matcher(text);
            assertTrue(pm.find(), file + " has no package line");
            String pkg = local(pm.group(1));
            seen.add(pkg);
            Integer floor = FLOORS.get(pkg);
            if (floor == null) {
                wrong.add(file.getFileName() + ": package '" + pm.group(1) + "' has no floor in FloorsTest");
                continue;
            }
            Matcher im = IMPORT.matcher(text);
            while (im.find()) {
                String imported = im.group(1);
                if (imported.startsWith("jdk.incubator.vector")) {
                    wrong.add(file.getFileName() + " imports the Vector API (the compiler only generates code for it)");
                }
                if ((imported.startsWith("org.antlr") || imported.startsWith("dev.attnc.grammar"))
                        && !pkg.equals("frontend")) {
                    wrong.add(file.getFileName() + " imports " + imported + ": only the front end sees ANTLR types");
                }
                if (!imported.startsWith(ROOT + ".") && !imported.equals(ROOT)) {
                    continue;
                }
                String target = local(packageOf(imported));
                Integer to = FLOORS.get(target);
                if (!target.equals(pkg) && (to == null || to >= floor)) {
                    wrong.add(file.getFileName() + " (" + name(pkg) + ", floor " + floor + ") imports " + imported
                            + " (" + name(target) + ", floor " + to + ")");
                }
            }
        }
        assertEquals(List.of(), wrong, "imports that run up or across the floors");
        assertEquals(new TreeSet<>(FLOORS.keySet()), seen, "packages of the compiler module");
    }

    /** {@code dev.attnc.compiler.emit.CudaWriter} → {@code dev.attnc.compiler.emit}. */
    private static String packageOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (Character.isUpperCase(p.charAt(0))) {
                break;
            }
            b.append(b.length() == 0 ? "" : ".").append(p);
        }
        return b.toString();
    }

    /** The package relative to {@code dev.attnc.compiler} ({@code ""} for the driver). */
    private static String local(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.startsWith(ROOT + ".") ? pkg.substring(ROOT.length() + 1) : pkg;
    }

    private static String name(String local) {
        return local.isEmpty() ? "the driver" : local;
    }

    private static List<Path> sources() {
        String basedir = System.getProperty("basedir");
        Path module = basedir == null || basedir.isBlank() ? Path.of("") : Path.of(basedir);
        Path main = module.resolve("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<Path> all =
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertTrue(all.size() > 100, "found only " + all.size() + " sources under " + main.toAbsolutePath());
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
