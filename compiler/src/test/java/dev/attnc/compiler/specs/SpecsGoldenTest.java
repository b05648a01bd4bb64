package dev.attnc.compiler.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The spec library in {@code specs/}: every file compiles with no error and no warning, and
 * the IR of its patterns matches {@code compiler/src/test/resources/golden/ir/<file>.ir}
 * (rewrite with {@code -Dattnc.update.golden=true}, see {@link Golden}).
 */
class SpecsGoldenTest {

    /**
     * Every spec of the library. A spec added to or removed from {@code specs/} must be added
     * to or removed from this list too, so that none disappears silently.
     */
    private static final List<String> SPECS = List.of(
            "bigbird.attn",
            "bloom.attn",
            "causal_local.attn",
            "common.attn",
            "dense.attn",
            "fastformer.attn",
            "longformer.attn",
            "longformer_char.attn",
            "mistral.attn");

    private static final Golden GOLDEN = Golden.of("ir", ".ir");

    /** {@code attnc.specs.dir} (set by the compiler's surefire configuration), else {@code ../specs}. */
    static Path specsDir() {
        String dir = System.getProperty("attnc.specs.dir");
        return (dir == null || dir.isBlank() ? Path.of("..", "specs") : Path.of(dir))
                .toAbsolutePath()
                .normalize();
    }

    static List<String> specFiles() {
        try (Stream<Path> files = Files.list(specsDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".attn"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list the spec folder " + specsDir() + ": " + e.getMessage(), e);
        }
    }

    static Pipeline.Result compile(String file) {
        return Pipeline.compileFile(specsDir().resolve(file), "specs/" + file);
    }

    private static String stem(String file) {
        return file.substring(0, file.length() - ".attn".length());
    }

    @Test
    void theLibraryHoldsExactlyTheListedSpecs() {
        assertEquals(
                SPECS,
                specFiles(),
                () -> "specs/ in " + specsDir() + " no longer matches "
                        + "SpecsGoldenTest.SPECS; add or remove the spec there (and its golden IR file)");
        assertEquals(9, SPECS.size(), "the spec count");
    }

    @TestFactory
    Stream<DynamicTest> everySpecCompilesWithoutErrorsOrWarnings() {
        return SPECS.stream()
                .map(file -> DynamicTest.dynamicTest(file, () -> {
                    Pipeline.Result r = compile(file);
                    assertTrue(
                            r.ok() && r.diagnostics().warningCount() == 0,
                            () -> "specs/" + file + " must compile cleanly:\n"
                                    + r.diagnostics().render());
                    assertTrue(!r.patterns().isEmpty(), () -> "specs/" + file + " declares no pattern");
                }));
    }

    @TestFactory
    Stream<DynamicTest> everySpecLowersToItsGoldenIr() {
        return SPECS.stream()
                .map(file -> DynamicTest.dynamicTest(file, () -> {
                    Pipeline.Result r = compile(file);
                    assertTrue(r.ok(), () -> r.diagnostics().render());
                    String ir = r.patterns().stream().map(IrPrinter::print).collect(Collectors.joining("\n"));
                    GOLDEN.check(stem(file), ir);
                }));
    }

    @Test
    void noGoldenIrFileOutlivesItsSpec() {
        GOLDEN.checkNoOthers(SPECS.stream().map(SpecsGoldenTest::stem).collect(Collectors.toSet()));
    }

    /** Pattern names become generated class names, so they must be unique across the library. */
    @Test
    void patternNamesAreUniqueAcrossTheLibrary() {
        Map<String, String> seen = new HashMap<>();
        for (String file : SPECS) {
            for (PatternIR p : compile(file).patterns()) {
                String prev = seen.putIfAbsent(p.name(), file);
                assertTrue(
                        prev == null,
                        () -> "pattern '" + p.name() + "' is declared in specs/" + prev + " and specs/" + file);
            }
        }
    }

    /** Each spec says which paper setting it reproduces, in a comment at the top. */
    @Test
    void everySpecStartsWithACommentSayingWhatItReproduces() throws IOException {
        for (String file : SPECS) {
            String first = Files.readAllLines(specsDir().resolve(file)).get(0);
            assertTrue(
                    first.startsWith("// " + file + " — "),
                    () -> "specs/" + file + " must start with '// " + file + " — <what it reproduces>', not: " + first);
        }
    }

    /** Set-up check: the helper names the files the project way. */
    @Test
    void goldenFilesLiveInTheCompilerTestResources() {
        Path f = GOLDEN.file("dense");
        assertTrue(
                f.toString().replace('\\', '/').endsWith("compiler/src/test/resources/golden/ir/dense.ir")
                        || f.toString().replace('\\', '/').endsWith("src/test/resources/golden/ir/dense.ir"),
                f::toString);
        assertTrue(Set.of(GOLDEN.howToUpdate().split("\n")).stream()
                .anyMatch(l -> l.contains("-Dattnc.update.golden=true")));
    }
}
