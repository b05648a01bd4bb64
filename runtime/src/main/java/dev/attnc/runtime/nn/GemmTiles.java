package dev.attnc.runtime.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * The blocking and the parallel schedule of {@link Linear}'s product {@code y = x · Wᵀ + b}
 * over packed weights. The output is cut into tiles of up to {@link #MC} rows × up to
 * {@link #MAX_TILE_PANELS} panels, as equal as the register block allows and at least four per
 * thread when the shape has that many; tiles run as a parallel stream, so on the caller's
 * {@link ForkJoinPool} (the common pool with the calling thread, or the pool the caller runs
 * in). Inside a tile, the input features are taken in equal ranges of at most {@link #KC} (the first range
 * starts from the bias, the next ones add to what is in {@code y}); for each range and panel,
 * the tile's rows go through {@link GemmKernel#rows} while that panel's range of weights stays
 * in L2. Every tile writes only its own rows and columns of {@code y}.
 *
 * <p>The partial last panel (when {@code out} is not a multiple of the panel width) is
 * computed into a small scratch block of {@link GemmKernel#MR} rows per tile and copied out
 * column by column, so that no write goes past the row's {@code out} columns.
 */
final class GemmTiles {

    /**
     * Most input features of a range: a panel's range ({@code KC × PANEL} floats, 512 KiB at
     * 512-bit vectors) stays in a 1 MiB L2 while the tile's rows stream past it. The features
     * are cut into equal ranges of at most this many ({@link #featureRange}).
     */
    static final int KC = 2048;

    /** Rows of a tile (a multiple of {@link GemmKernel#MR}). */
    static final int MC = 96;

    /** Most panels of a tile. */
    static final int MAX_TILE_PANELS = 8;

    /** Multiply-adds below which a call runs on the calling thread alone. */
    private static final long SEQUENTIAL_FMAS = 1L << 16;

    private GemmTiles() {}

    /**
     * {@code y[yOffset + r·out + o] = b[o] + Σ_i x[xOffset + r·in + i] · W[o, i]} for {@code r < rows}; on
     * the caller's pool when {@code parallel}, else on the calling thread (the same bits either way).
     */
    static void multiply(PackedWeights pw, float[] x, int xOffset, int rows, float[] y, int yOffset, boolean parallel) {
        if (rows == 0) {
            return;
        }
        int threads = threads();
        // Rows: equal blocks of at most MC (rounded up to the register block).
        int mc = ceilDiv(ceilDiv(rows, ceilDiv(rows, MC)), GemmKernel.MR) * GemmKernel.MR;
        int rowBlocks = ceilDiv(rows, mc);
        // Panels: equal chunks of at most MAX_TILE_PANELS, enough of them for 4 tiles a thread.
        int wanted = Math.max(ceilDiv(pw.panels, MAX_TILE_PANELS), ceilDiv(4 * threads, rowBlocks));
        int perTile = ceilDiv(pw.panels, Math.min(pw.panels, wanted));
        int chunks = ceilDiv(pw.panels, perTile);
        int tiles = rowBlocks * chunks;
        if (!parallel || tiles == 1 || threads == 1 || (long) rows * pw.in * pw.out < SEQUENTIAL_FMAS) {
            for (int t = 0; t < tiles; t++) {
                tile(pw, x, xOffset, rows, y, yOffset, mc, perTile, chunks, t);
            }
        } else {
            IntStream.range(0, tiles)
                    .parallel()
                    .forEach(t -> tile(pw, x, xOffset, rows, y, yOffset, mc, perTile, chunks, t));
        }
    }

    /** {@code ⌈a / b⌉} for {@code a >= 0, b > 0}, without overflow. */
    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** The length of the feature ranges: {@code in} cut into equal ranges of at most {@link #KC}. */
    static int featureRange(int in) {
        return ceilDiv(in, ceilDiv(in, KC));
    }

    /** Threads that will run the tiles: the current pool's, or the common pool's and the caller. */
    private static int threads() {
        ForkJoinPool pool = ForkJoinTask.getPool();
        return pool != null ? pool.getParallelism() : ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    /** Tile {@code t}: row block {@code t / chunks}, panel chunk {@code t % chunks}. */
    private static void tile(
            PackedWeights pw,
            float[] x,
            int xOffset,
            int rows,
            float[] y,
            int yOffset,
            int mc,
            int perTile,
            int chunks,
            int t) {
        int r0 = (t / chunks) * mc;
        int n = Math.min(mc, rows - r0);
        int p0 = (t % chunks) * perTile;
        int p1 = Math.min(pw.panels, p0 + perTile);
        int in = pw.in;
        int out = pw.out;
        int xr = xOffset + r0 * in;
        int yr = yOffset + r0 * out;
        int full = Math.min(p1, pw.fullPanels);
        int range = featureRange(in);
        for (int k0 = 0; k0 < in; k0 += range) {
            int kc = Math.min(range, in - k0);
            boolean first = k0 == 0;
            for (int p = p0; p < full; p++) {
                int col = p * GemmKernel.PANEL;
                GemmKernel.rows(
                        n,
                        x,
                        xr + k0,
                        in,
                        pw.w,
                        pw.offset(p, k0),
                        kc,
                        first ? pw.bias : y,
                        first ? col : yr + col,
                        first ? 0 : out,
                        y,
                        yr + col,
                        out);
            }
        }
        if (p1 > pw.fullPanels) {
            partialPanel(pw, x, xr, n, y, yr);
        }
    }

    /** The last, partial panel for the tile's {@code n} rows from {@code x[xr]}, {@code y[yr]}. */
    private static void partialPanel(PackedWeights pw, float[] x, int xr, int n, float[] y, int yr) {
        int width = GemmKernel.PANEL;
        int mr = GemmKernel.MR;
        int in = pw.in;
        int out = pw.out;
        int p = pw.fullPanels;
        int col = p * width;
        int real = out - col;
        int range = featureRange(in);
        float[] block = new float[mr * width];
        for (int r = 0; r < n; r += mr) {
            int g = Math.min(mr, n - r);
            for (int k0 = 0; k0 < in; k0 += range) {
                int kc = Math.min(range, in - k0);
                boolean first = k0 == 0;
                GemmKernel.rows(
                        g,
                        x,
                        xr + r * in + k0,
                        in,
                        pw.w,
                        pw.offset(p, k0),
                        kc,
                        first ? pw.bias : block,
                        first ? col : 0,
                        first ? 0 : width,
                        block,
                        0,
                        width);
            }
            for (int i = 0; i < g; i++) {
                System.arraycopy(block, i * width, y, yr + (r + i) * out + col, real);
            }
        }
    }
}
