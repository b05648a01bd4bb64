package dev.attnc.compiler.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.AttentionKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk cache of generated classes: keys, round trips, and what it does with bad entries. */
class ClassCacheTest {

    private static final String ONE = source(1);
    private static final String TWO = source(2);

    @TempDir
    Path dir;

    private static String source(int value) {
        return "package gen;\npublic final class Val implements java.util.function.IntSupplier {\n"
                + "  public int getAsInt() { return " + value + "; }\n}\n";
    }

    private static int value(ClassLoader loader) throws Exception {
        return ((IntSupplier) loader.loadClass("gen.Val").getConstructor().newInstance()).getAsInt();
    }

    @Test
    void keysFollowTheSourcesAndTheOptions() {
        List<String> opts = InMemoryJavaCompiler.options();
        assertEquals(ClassCache.key(Map.of("gen.Val", ONE), opts), ClassCache.key(Map.of("gen.Val", ONE), opts));
        assertNotEquals(ClassCache.key(Map.of("gen.Val", ONE), opts), ClassCache.key(Map.of("gen.Val", TWO), opts));
        assertNotEquals(ClassCache.key(Map.of("gen.Val", ONE), opts), ClassCache.key(Map.of("gen.Other", ONE), opts));
        assertNotEquals(
                ClassCache.key(Map.of("gen.Val", ONE), opts), ClassCache.key(Map.of("gen.Val", ONE), List.of()));
        assertEquals(64, ClassCache.key(Map.of("gen.Val", ONE), opts).length());
    }

    @Test
    void aSecondCompilationTakesTheStoredClassesWithoutJavac() throws Exception {
        ClassCache cache = new ClassCache(dir);
        InMemoryJavaCompiler javac = InMemoryJavaCompiler.system();
        assertEquals(1, value(javac.compile(Map.of("gen.Val", ONE), null, cache)));
        String key = ClassCache.key(Map.of("gen.Val", ONE), InMemoryJavaCompiler.options());
        assertTrue(Files.isRegularFile(dir.resolve(key + ".zip")));
        // Plant the classes of TWO under ONE's key: if javac ran, the value would be 1.
        Map<String, byte[]> two = javac.classes(Map.of("gen.Val", TWO));
        assertTrue(cache.store(key, two));
        assertEquals(2, value(javac.compile(Map.of("gen.Val", ONE), null, cache)));
        assertArrayEquals(two.get("gen.Val"), cache.load(key).orElseThrow().get("gen.Val"));
        assertNoTemporaryFiles();
    }

    @Test
    void unreadableOrForeignEntriesAreCompiledAgainAndReplaced() throws Exception {
        ClassCache cache = new ClassCache(dir);
        InMemoryJavaCompiler javac = InMemoryJavaCompiler.system();
        String key = ClassCache.key(Map.of("gen.Val", ONE), InMemoryJavaCompiler.options());
        Files.write(dir.resolve(key + ".zip"), new byte[] {1, 2, 3, 4, 5});
        assertTrue(cache.load(key).isEmpty(), "not a zip");
        assertEquals(1, value(javac.compile(Map.of("gen.Val", ONE), null, cache)));
        assertTrue(cache.load(key).isPresent(), "replaced by a good entry");

        assertTrue(cache.store(key, Map.of("gen.Val", "not a class file".getBytes())));
        assertTrue(cache.load(key).isEmpty(), "an entry that is not a class file is ignored");
        assertEquals(1, value(javac.compile(Map.of("gen.Val", ONE), null, cache)));

        assertTrue(cache.store(
                key,
                Map.of("gen.Unrelated", javac.classes(Map.of("gen.Val", ONE)).get("gen.Val"))));
        assertEquals(1, value(javac.compile(Map.of("gen.Val", ONE), null, cache)), "an entry without the class");
        assertNoTemporaryFiles();
    }

    @Test
    void aCacheThatCannotBeWrittenOnlyCostsTheCompilation() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        ClassCache cache = new ClassCache(notADirectory.resolve("classes"));
        assertFalse(cache.store("0123456789abcdef0123", Map.of()));
        assertEquals(1, value(InMemoryJavaCompiler.system().compile(Map.of("gen.Val", ONE), null, cache)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(notADirectory), files.toList());
        }
    }

    @Test
    void theStandardCacheFollowsItsPropertiesAndKernelsUseIt() throws Exception {
        String old = System.getProperty("attnc.cache.dir");
        try {
            System.setProperty("attnc.cache.dir", dir.toString());
            assertEquals(dir, ClassCache.standard().orElseThrow().directory());
            System.setProperty("attnc.cache", "off");
            assertTrue(ClassCache.standard().isEmpty());
            System.clearProperty("attnc.cache");
            String spec = "pattern cached_local { head_dim 16  window 3 }";
            AttentionKernel first = KernelCompiler.softmax(spec, "cached_local");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.filter(f -> f.toString().endsWith(".zip")).count());
            }
            AttentionKernel second = KernelCompiler.softmax(spec, "cached_local");
            assertEquals(first.name(), second.name());
            assertNotEquals(first.getClass(), second.getClass(), "each kernel has its own class loader");
        } finally {
            if (old == null) {
                System.clearProperty("attnc.cache.dir");
            } else {
                System.setProperty("attnc.cache.dir", old);
            }
            System.clearProperty("attnc.cache");
        }
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList());
        }
    }
}
