package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The machine without a GPU, for real: JCuda's JNI library cannot load (no libcuda.so.1), and
 * every entry point of the package reports that with one message, however often and from
 * whichever thread it is asked. Skipped where a device works.
 */
class CudaDriverUnavailableTest {

    private static String expected;

    @BeforeAll
    static void noDevice() {
        Assumptions.assumeFalse(CudaDriver.available(), "a CUDA device is available here");
        expected = libcudaPresent() ? CudaUnavailableException.NO_DEVICE : CudaUnavailableException.NO_DRIVER;
    }

    /** Whether the loader could find the driver library (then the failure is "no device", not "no driver"). */
    private static boolean libcudaPresent() {
        List<String> dirs = new ArrayList<>(List.of(
                "/usr/lib/x86_64-linux-gnu",
                "/lib/x86_64-linux-gnu",
                "/usr/lib64",
                "/lib64",
                "/usr/lib",
                "/usr/lib/wsl/lib"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        return dirs.stream().filter(d -> !d.isEmpty()).anyMatch(d -> Files.exists(Path.of(d, "libcuda.so.1")));
    }

    private static CudaUnavailableException unavailable(Executable call) {
        Throwable t = assertThrows(Throwable.class, call);
        assertInstanceOf(CudaUnavailableException.class, t, () -> "expected CudaUnavailableException, got " + t);
        assertEquals(expected, t.getMessage());
        return (CudaUnavailableException) t;
    }

    @Test
    void contextFailsWithTheDriverMessageEveryTime() {
        CudaUnavailableException first = unavailable(CudaDriver::context);
        CudaUnavailableException second = unavailable(CudaDriver::context);
        unavailable(CudaDriver::context);
        // New exceptions (each with its caller's stack), the first failure as the cause.
        assertTrue(first != second);
        if (expected.equals(CudaUnavailableException.NO_DRIVER)) {
            assertInstanceOf(UnsatisfiedLinkError.class, first.getCause());
            assertTrue(
                    first.getCause().getMessage().contains("libcuda.so.1"),
                    first.getCause().getMessage());
        }
    }

    @Test
    void anotherThreadGetsTheSameMessage() throws InterruptedException {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                CudaDriver.context();
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        t.start();
        t.join();
        assertInstanceOf(CudaUnavailableException.class, seen.get());
        assertEquals(expected, seen.get().getMessage());
    }

    @Test
    void availableIsFalseAndTheReasonIsTheMessage() {
        assertFalse(CudaDriver.available());
        assertEquals(Optional.of(expected), CudaDriver.unavailableReason());
        assertEquals(Optional.of(expected), CudaDriver.unavailableReason());
    }

    @Test
    void deviceBuffersReportTheSameException() {
        unavailable(() -> DeviceBuffer.allocate("q", 16));
        unavailable(() -> DeviceBuffer.of("q", new float[4]));
        unavailable(() -> DeviceBuffer.of("key_valid", new byte[4]));
        unavailable(() -> DeviceBuffer.of("bind", new int[4]));
        unavailable(() -> DeviceBuffer.of("q", new short[4]));
    }

    @Test
    void modulesAreMadeWithoutADeviceButCannotLoad() {
        CudaModule m = CudaModule.ofPtx("unavailable_test", VectorAddPtx.PTX);
        unavailable(() -> m.function("vadd"));
        unavailable(m::load);
    }

    @Test
    void attentionKernelsReportTheSameException() {
        CudaModule m = CudaModule.ofPtx("unavailable_attention", VectorAddPtx.PTX);
        unavailable(() -> new CudaAttentionKernel(new DenseTestBinding(8), m, "attention", CudaDtype.F16, 128, 16, 0));
    }

    @Test
    void eventTimersReportTheSameException() {
        unavailable(CudaEventTimer::create);
    }

    @Test
    void contextAndDtypesNeedNoDriver() {
        // Pure-Java parts keep working after the failure: no JCuda class initialisation leaks out.
        assertEquals((short) 0x3c00, CudaDtype.toHalf(1f));
        assertEquals(LaunchConfig.of(1, 32), new LaunchConfig(1, 1, 1, 32, 0));
        AttentionInputs in = DeviceInputs.metadata(new AttentionShape(1, 1, 4, 8), TensorLayout.BHLD)
                .build();
        assertEquals(4, CudaBinding.pack(new DenseTestBinding(8), in, 16, 8).words()[3]);
    }

    @Test
    void touchingJCudaDirectlyAfterTheGuardIsWhatTheGuardHides() {
        // Documents JCuda's behaviour: after the first failed initialisation, the class stays
        // unusable and every touch is a NoClassDefFoundError. CudaDriver never lets it out.
        Assumptions.assumeTrue(expected.equals(CudaUnavailableException.NO_DRIVER), "the driver library is present");
        CudaDriver.available();
        assertThrows(NoClassDefFoundError.class, () -> jcuda.driver.JCudaDriver.cuInit(0));
    }
}
