package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.cuda.CudaModule;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The fatbin the plugin built is a class-path resource where the runtime looks for it. */
class FatbinOnClassPathTest {

    @Test
    void theFatbinIsWhereCudaModuleLooks() throws Exception {
        try (InputStream in = getClass().getResourceAsStream(CudaModule.RESOURCE_DIR + "gpu_local.fatbin")) {
            byte[] b = in.readAllBytes();
            assertTrue(b.length > 1000, "fatbin size " + b.length);
            assertEquals(0xBA55ED50, (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24, "fatbin magic");
        }
        CudaModule m = CudaModule.fromResource("gpu_local");
        assertEquals("gpu_local", m.name());
        assertEquals(64, m.sha256().length());
    }
}
