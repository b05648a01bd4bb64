package dev.attnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.InMemoryJavaCompiler;
import dev.attnc.compiler.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated Java of every pattern in {@code specs/} against
 * {@code golden/java/<ClassName>.java} (rewrite on purpose with {@code -Dattnc.update.golden=true}),
 * generated twice to the same bytes, and compiled by javac. The goldens are generated for
 * 256-bit vectors ({@link #BITS}), whatever this machine's width, so that they do not depend on
 * the machine; one more golden shows Longformer-base at 512 bits.
 */
class JavaGoldenTest {

    /** The vector width of the golden files: the machine's would make them differ between machines. */
    static final String BITS = "bits=256";

    private static final Golden GOLDEN = Golden.of("java", ".java");

    static Path specs() {
        String dir = System.getProperty("attnc.specs.dir");
        return (dir == null || dir.isBlank() ? Path.of("..", "specs") : Path.of(dir))
                .toAbsolutePath()
                .normalize();
    }

    static Map<String, PatternIR> allPatterns() throws IOException {
        Map<String, PatternIR> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(specs())) {
            files = s.filter(p -> p.toString().endsWith(".attn")).sorted().toList();
        }
        for (Path f : files) {
            Pipeline.Result r = Pipeline.compileFile(f, "specs/" + f.getFileName());
            assertTrue(r.ok(), r.diagnostics()::render);
            for (PatternIR p : r.patterns()) {
                out.put(f.getFileName() + ":" + p.name(), p);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> generatedJavaMatchesTheGoldenFiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        for (PatternIR p : allPatterns().values()) {
            Pipeline.JavaOutput o = Pipeline.java(p, BITS, JavaEmitter.DEFAULT_PACKAGE);
            names.add(o.plan().className());
            tests.add(DynamicTest.dynamicTest(o.plan().className(), () -> {
                assertEquals(
                        o.source(),
                        Pipeline.java(p, BITS, JavaEmitter.DEFAULT_PACKAGE).source(),
                        "generating twice must give the same bytes");
                GOLDEN.check(o.plan().className(), o.source());
            }));
            if (p.name().equals("longformer_base")) {
                String wide = o.plan().className() + "512";
                names.add(wide);
                tests.add(DynamicTest.dynamicTest(
                        wide,
                        () -> GOLDEN.check(
                                wide,
                                Pipeline.java(p, "bits=512", JavaEmitter.DEFAULT_PACKAGE)
                                        .source())));
            }
        }
        tests.add(DynamicTest.dynamicTest("no stale golden files", () -> GOLDEN.checkNoOthers(names)));
        return tests.stream();
    }

    @Test
    void everyGeneratedClassCompilesTogether() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        for (PatternIR p : allPatterns().values()) {
            Pipeline.JavaOutput o = Pipeline.java(p, BITS, "golden.check");
            sources.put(o.qualifiedName(), o.source());
        }
        ClassLoader loader =
                InMemoryJavaCompiler.system().compile(sources, getClass().getClassLoader());
        for (String name : sources.keySet()) {
            try {
                Object k = loader.loadClass(name).getConstructor().newInstance();
                assertTrue(
                        k instanceof dev.attnc.runtime.AttentionKernel || k instanceof dev.attnc.runtime.AdditiveKernel,
                        name);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(name + ": " + e, e);
            }
        }
    }
}
