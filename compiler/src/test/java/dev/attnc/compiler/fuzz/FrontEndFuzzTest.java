package dev.attnc.compiler.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.diag.Diagnostic;
import dev.attnc.compiler.ir.IrPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whatever bytes a spec file holds, the front end answers with diagnostics or IR: it never
 * throws, never overflows its stack, and every diagnostic renders with a location. In CI
 * this replays the seed corpus (regression mode); {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class FrontEndFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesGiveDiagnosticsOrIr(byte[] data) throws IOException {
        Path f = Files.createTempFile("fuzz", ".attn");
        try {
            Files.write(f, data);
            Pipeline.Result r = Pipeline.compileFile(f, "fuzz.attn");
            assertNotNull(r);
            if (r.ok()) {
                r.patterns().forEach(p -> assertFalse(IrPrinter.print(p).isEmpty()));
            } else {
                assertTrue(r.patterns().isEmpty());
                for (Diagnostic d : r.diagnostics().sorted()) {
                    assertTrue(d.render().startsWith("fuzz.attn:"), d.render());
                }
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
