package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.runtime.cuda.CudaDriver;
import java.util.Optional;

/**
 * What the device tests need: a CUDA driver with a device and nvcc. Without them a test is
 * skipped with the reason, or, with {@code -Dattnc.cuda.require=true} (what
 * {@code bench/device/check} passes on a GPU machine), fails with it, so a device check cannot
 * pass by skipping everything.
 */
final class DeviceRequirement {

    /** The system property that turns the skip into a failure. */
    static final String REQUIRE = "attnc.cuda.require";

    private DeviceRequirement() {}

    /** Why a device test cannot run here, or empty when it can. */
    static Optional<String> unavailableReason() {
        return CudaDriver.unavailableReason().or(Nvcc::unavailableReason);
    }

    /** Call first in a test (not in {@code @BeforeAll}: Surefire then reports each skip with its reason). */
    static void needsADevice() {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent() && Boolean.getBoolean(REQUIRE)) {
            fail("-D" + REQUIRE + "=true but the device test cannot run: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }
}
