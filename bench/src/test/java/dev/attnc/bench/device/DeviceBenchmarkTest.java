package dev.attnc.bench.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.cuda.CudaDriver;
import dev.attnc.runtime.cuda.CudaUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The benchmark's entry point without a device (this machine): one line naming the reason, and its exit codes. */
class DeviceBenchmarkTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DeviceBenchmark.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutADeviceItPrintsTheDriversReasonAndExitsZero() {
        Assumptions.assumeFalse(CudaDriver.available(), "a CUDA device is available here");
        String reason = CudaDriver.unavailableReason().orElseThrow();
        assertTrue(
                reason.equals(CudaUnavailableException.NO_DRIVER) || reason.equals(CudaUnavailableException.NO_DEVICE),
                reason);
        assertEquals(0, run("--n", "4096"));
        assertEquals("device benchmark skipped: " + reason + System.lineSeparator(), out());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void requireDeviceMakesTheSkipAFailure() {
        Assumptions.assumeFalse(CudaDriver.available(), "a CUDA device is available here");
        assertEquals(DeviceBenchmark.EXIT_NO_DEVICE, run("--require-device"));
        assertTrue(out().startsWith("device benchmark skipped: no CUDA "), out());
    }

    @Test
    void theSkipNamesAnyReasonGiven() {
        int code = DeviceBenchmark.run(
                DeviceBenchOptions.defaults(),
                Optional.of("no CUDA device found; use the Java backend"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals(
                "device benchmark skipped: no CUDA device found; use the Java backend" + System.lineSeparator(), out());
    }

    @Test
    void usageErrorsExitTwoAndHelpZero() {
        assertEquals(DeviceBenchmark.EXIT_USAGE, run("--dtypes", "fp8"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: --dtypes: expected fp16, bf16 or fp32"));
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("usage: DeviceBenchmark"), out());
    }
}
