package dev.attnc.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generated bindings as a GPU host uses them: found through {@code Kernels.bindings} and
 * packed by {@code CudaBinding} in a JVM without {@code --add-modules jdk.incubator.vector},
 * with the same words as in this JVM (which has the Vector API).
 */
class GeneratedBindingsWithoutVectorApiTest {

    @Test
    void everyGeneratedBindingPacksWithoutTheVectorModule() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("attnc-bindings-", ".txt");
        try {
            Process p = new ProcessBuilder(
                            java.toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            GeneratedBindingsMain.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
            String out = Files.readString(log, StandardCharsets.UTF_8).replace("\r\n", "\n");
            assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
            ByteArrayOutputStream here = new ByteArrayOutputStream();
            GeneratedBindingsMain.report(new PrintStream(here, true, StandardCharsets.UTF_8));
            String want = here.toString(StandardCharsets.UTF_8);
            assertTrue(want.contains("longformer_base: ") && want.contains("bigbird_itc_layout: "), want);
            assertEquals("vector module: absent\n" + want, out);
        } finally {
            Files.deleteIfExists(log);
        }
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    }
}
