package dev.attnc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad spec under {@code src/test/resources/diagnostics/} and the exact diagnostics it
 * produces, carets included ({@code diagnostics/<case>.expected} beside it; rewrite them on purpose
 * with {@code -Dattnc.update.golden=true}). These files are the specification of attnc's
 * messages: read a changed one before accepting it. Cases named {@code ok_*} are specs that
 * must produce no diagnostic (near misses of a warning); their golden file is empty.
 */
class DiagnosticsGoldenTest {

    private static final Path CASES = Path.of("src", "test", "resources", "diagnostics");
    private static final Golden GOLDEN = Golden.beside("diagnostics", ".expected");

    static List<String> cases() {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".attn"))
                    .map(n -> n.substring(0, n.length() - ".attn".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheseDiagnostics(String name) {
        Pipeline.Result r = Pipeline.compileFile(CASES.resolve(name + ".attn"), "diagnostics/" + name + ".attn");
        String rendered = r.diagnostics().render();
        assertTrue(
                !rendered.isEmpty() || name.startsWith("import_ok") || name.startsWith("ok_"),
                "no diagnostic for bad spec " + name);
        GOLDEN.check(name, rendered);
    }

    @Test
    void everyCaseHasAGoldenFileAndThereAreEnough() {
        Set<String> names = cases().stream().collect(Collectors.toSet());
        GOLDEN.checkNoOthers(names);
        assertTrue(names.size() >= 40, "only " + names.size() + " diagnostics cases");
    }

    @Test
    void everyDiagnosticCodeIsExercisedByACase() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String c : cases()) {
            all.append(Files.readString(GOLDEN.file(c)));
        }
        // Codes only reachable through the file system or limits are covered by PathologicalInputTest.
        Set<DiagCode> elsewhere = Set.of(DiagCode.E001, DiagCode.E002, DiagCode.E003, DiagCode.E006, DiagCode.E008);
        for (DiagCode code : DiagCode.values()) {
            if (!elsewhere.contains(code)) {
                assertTrue(
                        all.indexOf("[" + code.name() + "]") >= 0, code + " is not exercised by any diagnostics case");
            }
        }
    }
}
