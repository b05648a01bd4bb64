package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link CudaShape} against values worked out by hand from the engine's rules (the compiled
 * engine is compared in the compiler module's {@code CudaEmulatedKernelsTest}).
 */
class CudaShapeTest {

    private static final int[] HEAD_DIMS = {1, 16, 64, 65, 128, 129, 256};

    @Test
    void tensorCoreShapes() {
        // warps, threads, queryTile, keyTile, paddedRow, sharedBytes = (qt + 4 kt) * row * 2, minBlocks
        int[][] want = {
            {4, 128, 64, 32, 24, 9216, 2},
            {4, 128, 64, 32, 24, 9216, 3},
            {4, 128, 64, 32, 72, 27648, 4},
            {4, 128, 64, 32, 88, 33792, 2},
            {4, 128, 64, 32, 136, 52224, 2},
            {4, 128, 64, 16, 152, 38912, 1},
            {4, 128, 64, 16, 264, 67584, 1},
        };
        for (int x = 0; x < HEAD_DIMS.length; x++) {
            int d = HEAD_DIMS[x];
            String at = "head dim " + d;
            assertEquals(want[x][0], CudaShape.warps(d, true), at);
            assertEquals(want[x][1], CudaShape.threads(d, true), at);
            assertEquals(want[x][2], CudaShape.queryTile(d, true), at);
            assertEquals(16, CudaShape.rowsPerWarp(d, true), at);
            assertEquals(want[x][3], CudaShape.keyTile(d, true), at);
            assertEquals(want[x][4], CudaShape.paddedRow(d), at);
            assertEquals(want[x][5], CudaShape.sharedBytes(d, true), at);
            assertEquals(want[x][6], CudaShape.minBlocks(d, true), at);
            assertTrue(CudaShape.sharedBytes(d, true) <= LaunchConfig.MAX_OPT_IN_SHARED_BYTES, at);
        }
    }

    @Test
    void fp32ShapesAreUnchangedAndUseStaticSharedMemory() {
        // warps, rowsPerWarp, threads, queryTile
        int[][] want = {
            {4, 16, 128, 64},
            {4, 16, 128, 64},
            {4, 16, 128, 64},
            {2, 16, 64, 32},
            {2, 16, 64, 32},
            {1, 8, 32, 8},
            {1, 8, 32, 8},
        };
        for (int x = 0; x < HEAD_DIMS.length; x++) {
            int d = HEAD_DIMS[x];
            String at = "head dim " + d;
            assertEquals(want[x][0], CudaShape.warps(d, false), at);
            assertEquals(want[x][1], CudaShape.rowsPerWarp(d, false), at);
            assertEquals(want[x][2], CudaShape.threads(d, false), at);
            assertEquals(want[x][3], CudaShape.queryTile(d, false), at);
            assertEquals(0, CudaShape.sharedBytes(d, false), at);
            assertEquals(d == 64 ? 4 : 1, CudaShape.minBlocks(d, false), at);
        }
    }

    @Test
    void largeHeadDimsNeedTheSharedMemoryOptIn() {
        assertTrue(new LaunchConfig(1, 1, 1, 128, CudaShape.sharedBytes(128, true)).needsSharedOptIn());
        assertTrue(new LaunchConfig(1, 1, 1, 128, CudaShape.sharedBytes(256, true)).needsSharedOptIn());
        assertTrue(!new LaunchConfig(1, 1, 1, 256, CudaShape.sharedBytes(64, true)).needsSharedOptIn());
        assertEquals(512, CudaShape.KEY_SPLIT);
    }
}
