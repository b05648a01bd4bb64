package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a module does before it needs the driver: reading, hashing, caching, naming entry points. */
class CudaModuleTest {

    @Test
    void missingResourceIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CudaModule.fromResource("no_such_pattern"));
        assertEquals(
                "kernel image /dev/attnc/generated/cuda/no_such_pattern.fatbin is not on the class path: pattern "
                        + "'no_such_pattern' was not compiled for the CUDA target (or its fatbin was not packaged)",
                e.getMessage());
    }

    @Test
    void namesThatAreNotFileNamesAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CudaModule.fromResource("../x"));
        assertEquals("kernel image name '../x': expected letters, digits, '_', '.', '-'", e.getMessage());
    }

    @Test
    void fatbinResourceIsReadAndItsKernelsAreNamed() {
        CudaModule m = CudaModule.fromResource("vector_test");
        assertSame(m, CudaModule.fromResource("vector_test"));
        assertEquals("vector_test", m.name());
        assertEquals(64, m.sha256().length());
        assertTrue(
                m.toString().startsWith("kernel image /dev/attnc/generated/cuda/vector_test.fatbin (sha256 "),
                m.toString());
    }

    @Test
    void cacheIsKeyedByNameAndContent() {
        CudaModule a = CudaModule.ofPtx("cache_test", VectorAddPtx.PTX);
        assertSame(a, CudaModule.ofPtx("cache_test", VectorAddPtx.PTX));
        // A NUL terminator is added to PTX text: the same text with one is the same image.
        assertSame(a, CudaModule.of("cache_test", (VectorAddPtx.PTX + "\0").getBytes(StandardCharsets.UTF_8)));
        assertNotSame(a, CudaModule.ofPtx("cache_test", VectorAddPtx.PTX + "\n"));
        assertNotSame(a, CudaModule.ofPtx("cache_test_2", VectorAddPtx.PTX));
        assertEquals(CudaModule.sha256((VectorAddPtx.PTX + "\0").getBytes(StandardCharsets.UTF_8)), a.sha256());
    }

    @Test
    void sha256IsTheStandardOne() {
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                CudaModule.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void closedModulesCannotBeUsedAndLeaveTheCache() {
        CudaModule a = CudaModule.ofPtx("close_test", VectorAddPtx.PTX);
        a.close(); // never loaded: nothing to unload, no driver needed
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.function("vadd"));
        assertEquals("kernel image 'close_test': module is closed", e.getMessage());
        assertNotSame(a, CudaModule.ofPtx("close_test", VectorAddPtx.PTX));
    }

    @Test
    void entryPointsOfPtxAndFatbin() {
        assertEquals(
                List.of("vadd", "vfill"), CudaModule.entryPoints(VectorAddPtx.PTX.getBytes(StandardCharsets.UTF_8)));
        byte[] fatbin = readResource("/dev/attnc/generated/cuda/vector_test.fatbin");
        assertTrue(CudaModule.isBinary(fatbin));
        assertEquals(List.of("vadd", "vscale"), CudaModule.entryPoints(fatbin));
        assertEquals(List.of(), CudaModule.entryPoints(new byte[] {1, 2, 3}));
        assertTrue(!CudaModule.isBinary(VectorAddPtx.PTX.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emptyImagesAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CudaModule.of("empty", new byte[0]));
        assertEquals("kernel image 'empty' is empty", e.getMessage());
    }

    private static byte[] readResource(String path) {
        try (var in = CudaModuleTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
