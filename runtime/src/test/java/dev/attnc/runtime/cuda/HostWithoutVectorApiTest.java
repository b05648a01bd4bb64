package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.kernel.AdditiveSpec;
import dev.attnc.runtime.kernel.PatternBinding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CUDA host path (a softmax pattern's {@link PatternBinding}, {@link CudaBinding}; an
 * additive pattern's {@link AdditiveSpec}, {@link CudaAdditiveKernel}) needs no Vector API: run
 * in a JVM without {@code --add-modules jdk.incubator.vector} it packs the same words and
 * rejects the same calls as in this one, and no class it can reach names a
 * {@code jdk.incubator.vector} type.
 */
class HostWithoutVectorApiTest {

    @Test
    void packsInAJvmWithoutTheVectorModule() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("attnc-host-", ".txt");
        try {
            Process p = new ProcessBuilder(
                            java.toString(), "-cp", System.getProperty("java.class.path"), HostPackMain.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
            ByteArrayOutputStream here = new ByteArrayOutputStream();
            HostPackMain.report(new PrintStream(here, true, StandardCharsets.UTF_8));
            assertEquals("vector module: absent\n" + here.toString(StandardCharsets.UTF_8), out.replace("\r\n", "\n"));
        } finally {
            Files.deleteIfExists(log);
        }
        assertTrue(
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "this JVM has the Vector API, so the comparison above ran the engine's environment");
    }

    /** Every class the host path can reach, found through the class names in their constant pools. */
    @Test
    void noHostClassNamesTheVectorApi() throws IOException {
        Pattern name = Pattern.compile("(?:dev/attnc|jdk/incubator)/[A-Za-z0-9_/$]+");
        Deque<String> todo = new ArrayDeque<>(List.of(
                internal(CudaBinding.class),
                internal(PatternBinding.class),
                internal(CudaAttentionKernel.class),
                internal(AdditiveSpec.class),
                internal(CudaAdditiveKernel.class)));
        TreeSet<String> seen = new TreeSet<>(todo);
        while (!todo.isEmpty()) {
            String c = todo.pop();
            assertFalse(c.startsWith("jdk/incubator/vector"), "the CUDA host path reaches " + c + "; reached: " + seen);
            String pool;
            try (InputStream s = getClass().getClassLoader().getResourceAsStream(c + ".class")) {
                assertNotNull(s, c);
                pool = new String(s.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            Matcher m = name.matcher(pool);
            while (m.find()) {
                String ref = m.group();
                if (ref.startsWith("jdk/incubator")
                        || getClass().getClassLoader().getResource(ref + ".class") != null) {
                    if (seen.add(ref)) {
                        todo.push(ref);
                    }
                }
            }
        }
        assertTrue(seen.contains("dev/attnc/runtime/kernel/HeadBinding"), seen.toString());
        assertTrue(seen.contains("dev/attnc/runtime/AdditiveInputs"), seen.toString());
        assertFalse(seen.contains("dev/attnc/runtime/kernel/SparseAttentionKernel"), seen.toString());
        assertFalse(seen.contains("dev/attnc/runtime/kernel/AdditiveAttentionKernel"), seen.toString());
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }
}
