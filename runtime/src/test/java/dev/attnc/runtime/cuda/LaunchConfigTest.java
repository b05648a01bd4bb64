package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchConfigTest {

    private static void rejects(String message, Runnable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void boundsAreNamedWithTheirRange() {
        rejects("gridX: expected 1..2147483647, got 0", () -> new LaunchConfig(0, 1, 1, 32, 0));
        rejects("gridY: expected 1..65535, got 65536", () -> new LaunchConfig(1, 65536, 1, 32, 0));
        rejects("gridZ: expected 1..65535, got 0", () -> new LaunchConfig(1, 1, 0, 32, 0));
        rejects("blockX: expected 1..1024, got 1025", () -> new LaunchConfig(1, 1, 1, 1025, 0));
        rejects("blockX: expected 1..1024, got 0", () -> new LaunchConfig(1, 1, 1, 0, 0));
        rejects("sharedBytes: expected 0..232448, got -1", () -> new LaunchConfig(1, 1, 1, 32, -1));
        rejects("sharedBytes: expected 0..232448, got 232449", () -> new LaunchConfig(1, 1, 1, 32, 232449));
    }

    @Test
    void limitsAreAccepted() {
        LaunchConfig c = new LaunchConfig(Integer.MAX_VALUE, 65535, 65535, 1024, 49152);
        assertEquals(Integer.MAX_VALUE, c.gridX());
        assertEquals("grid (2147483647, 65535, 65535), block 1024, 49152 bytes shared", c.toString());
        assertEquals("grid (3, 1, 1), block 32", LaunchConfig.of(3, 32).toString());
        LaunchConfig most = new LaunchConfig(1, 1, 1, 256, 232448);
        assertEquals(232448, most.sharedBytes());
        assertTrue(most.needsSharedOptIn());
    }

    @Test
    void above48KibTheFunctionMustBeOptedIn() {
        assertEquals(48 * 1024, LaunchConfig.MAX_SHARED_BYTES);
        assertEquals(227 * 1024, LaunchConfig.MAX_OPT_IN_SHARED_BYTES);
        assertFalse(new LaunchConfig(1, 1, 1, 32, 0).needsSharedOptIn());
        assertFalse(new LaunchConfig(1, 1, 1, 32, 49152).needsSharedOptIn());
        assertTrue(new LaunchConfig(1, 1, 1, 32, 49153).needsSharedOptIn());
    }

    @Test
    void coveringRoundsUp() {
        assertEquals(LaunchConfig.of(8, 128), LaunchConfig.covering(1000, 128));
        assertEquals(LaunchConfig.of(1, 128), LaunchConfig.covering(1, 128));
        assertEquals(LaunchConfig.of(2, 128), LaunchConfig.covering(256 - 127, 128));
        rejects("threads: expected >= 1, got 0", () -> LaunchConfig.covering(0, 128));
        rejects(
                "threads: 274877906944 threads need 2147483648 blocks of 128, more than gridX allows (2147483647)",
                () -> LaunchConfig.covering(128L << 31, 128));
    }
}
