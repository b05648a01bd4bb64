package dev.attnc.runtime.cuda;

/**
 * One kernel launch's shape: a grid of {@code gridX × gridY × gridZ} blocks of {@code blockX}
 * threads (one-dimensional blocks), with {@code sharedBytes} of dynamic shared memory.
 *
 * <p>Guarantees: every value is checked when built, and a wrong one is named with its allowed
 * range: {@code gridX} 1..2^31−1, {@code gridY} and {@code gridZ} 1..65535, {@code blockX}
 * 1..1024, {@code sharedBytes} 0..232448 ({@link #MAX_OPT_IN_SHARED_BYTES}, 227 KiB). Up to
 * {@link #MAX_SHARED_BYTES} (48 KiB) every GPU accepts the launch as it is; above that the
 * function must first be opted in with {@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES}
 * ({@link CudaFunction#launch} does so), and the GPU must have that much shared memory per
 * block (227 KiB on sm_90, 163 KiB on sm_80; the driver refuses the attribute otherwise).
 */
public record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int sharedBytes) {

    public static final int MAX_GRID_X = Integer.MAX_VALUE;
    public static final int MAX_GRID_YZ = 65535;
    public static final int MAX_BLOCK = 1024;
    /** Dynamic shared memory a kernel may use without {@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES}. */
    public static final int MAX_SHARED_BYTES = 48 * 1024;
    /**
     * The most dynamic shared memory a block may opt in to on any GPU (sm_90: 227 KiB); above
     * {@link #MAX_SHARED_BYTES} the function must be opted in before the launch.
     */
    public static final int MAX_OPT_IN_SHARED_BYTES = 227 * 1024;

    public LaunchConfig {
        range("gridX", gridX, 1, MAX_GRID_X);
        range("gridY", gridY, 1, MAX_GRID_YZ);
        range("gridZ", gridZ, 1, MAX_GRID_YZ);
        range("blockX", blockX, 1, MAX_BLOCK);
        range("sharedBytes", sharedBytes, 0, MAX_OPT_IN_SHARED_BYTES);
    }

    /** Whether the launch needs more dynamic shared memory than a function gets without opting in. */
    public boolean needsSharedOptIn() {
        return sharedBytes > MAX_SHARED_BYTES;
    }

    /** A one-dimensional grid without dynamic shared memory. */
    public static LaunchConfig of(int gridX, int blockX) {
        return new LaunchConfig(gridX, 1, 1, blockX, 0);
    }

    /** Enough blocks of {@code blockX} threads for {@code threads} threads in total (a 1-D grid). */
    public static LaunchConfig covering(long threads, int blockX) {
        range("blockX", blockX, 1, MAX_BLOCK);
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        }
        long blocks = (threads + blockX - 1) / blockX;
        if (blocks > MAX_GRID_X) {
            throw new IllegalArgumentException("threads: " + threads + " threads need " + blocks + " blocks of "
                    + blockX + ", more than gridX allows (" + MAX_GRID_X + ")");
        }
        return of((int) blocks, blockX);
    }

    private static void range(String what, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(what + ": expected " + lo + ".." + hi + ", got " + v);
        }
    }

    @Override
    public String toString() {
        return "grid (" + gridX + ", " + gridY + ", " + gridZ + "), block " + blockX
                + (sharedBytes > 0 ? ", " + sharedBytes + " bytes shared" : "");
    }
}
