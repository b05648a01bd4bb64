package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * The scheduler of the softmax engine: it owns how a call's work is cut up and run, and the
 * per-call K panels. A call's bound heads (one {@link HeadBinding} per batch item and head)
 * are cut into tasks of {@code grain} query tiles of one head, which run in parallel (on the
 * common fork-join pool) or, when the call is small, one after another on the caller's
 * thread; {@link RowGroupSoftmax} computes each task.
 *
 * <p>Before the tasks run, K of every head is copied once into panels of {@code panel} keys
 * ({@code [n/panel][d][panel]}, {@code panel} the micro-kernel's keys per register block), from which contiguous key chunks are read in place. The panel
 * buffers are pooled between calls (at most {@link #MAX_POOLED_PANELS}), so that a kernel keeps
 * up to one call's panels instead of allocating {@code B·H·n·d} floats each time.
 *
 * <p>Thread-safe: the pool is the only state shared between calls.
 */
final class TileScheduler {

    /** Below this many query rows in a call (B·H·n), run on the caller's thread. */
    private static final long PARALLEL_ROWS = 2048;

    private static final int MAX_POOLED_PANELS = 64;

    private final RowGroupSoftmax rows;
    private final int headDim;
    private final int grain;
    /** K panel buffers of earlier calls, reused. */
    private final Queue<float[]> panelPool = new ConcurrentLinkedQueue<>();

    TileScheduler(RowGroupSoftmax rows, int headDim, int grain) {
        this.rows = rows;
        this.headDim = headDim;
        this.grain = grain;
    }

    /**
     * Computes every head of {@code bindings} (one call's, at index {@code b·H + h}) into
     * {@code out}, and each row's log-sum-exp into {@code lse} unless it is null.
     */
    void run(HeadBinding[] bindings, float[] out, float[] lse) {
        int bh = bindings.length;
        int[] tilesOf = new int[bh];
        int tasks = 0;
        long callRows = 0;
        for (int x = 0; x < bh; x++) {
            HeadBinding c = bindings[x];
            long span = (long) rows.queryTile() * c.rowStride;
            tilesOf[x] = (int) ((c.n + span - 1) / span);
            tasks += (tilesOf[x] + grain - 1) / grain;
            callRows += c.n;
        }
        int[] taskHead = new int[tasks];
        int[] taskTile = new int[tasks];
        int t = 0;
        for (int x = 0; x < bh; x++) {
            for (int tile = 0; tile < tilesOf[x]; tile += grain) {
                taskHead[t] = x;
                taskTile[t++] = tile;
            }
        }
        boolean parallel = callRows >= PARALLEL_ROWS;
        // K of every kv head once into panels [n/panel][d][panel]: contiguous chunks read it in
        // place. The query heads of a group (consecutive: h / (H / G)) share their kv head's.
        int group = bh == 0 ? 1 : bindings[0].in.shape().groupSize();
        IntStream leaders = IntStream.range(0, bh).filter(x -> bindings[x].head % group == 0);
        (parallel ? leaders.parallel() : leaders).forEach(x -> bindings[x].kp = panels(bindings[x]));
        for (int x = 0; x < bh; x++) {
            int h = bindings[x].head;
            if (h % group != 0) {
                bindings[x].kp = bindings[x - h % group].kp;
            }
        }
        try {
            if (!parallel) {
                for (int k = 0; k < tasks; k++) {
                    rows.tiles(
                            bindings[taskHead[k]],
                            taskTile[k],
                            Math.min(tilesOf[taskHead[k]], taskTile[k] + grain),
                            out,
                            lse);
                }
            } else {
                IntStream.range(0, tasks)
                        .parallel()
                        .forEach(k -> rows.tiles(
                                bindings[taskHead[k]],
                                taskTile[k],
                                Math.min(tilesOf[taskHead[k]], taskTile[k] + grain),
                                out,
                                lse));
            }
        } finally {
            for (HeadBinding c : bindings) {
                if (c.kp != null && c.head % group == 0 && panelPool.size() < MAX_POOLED_PANELS) {
                    panelPool.offer(c.kp);
                }
                c.kp = null;
            }
        }
    }

    /**
     * A panel buffer of at least {@code size} floats: one a previous call returned, or a new one.
     * Stale contents past {@code n} are harmless: scores of keys past a chunk are replaced by -∞.
     */
    private float[] takePanel(int size) {
        for (int tries = 0; tries < 4; tries++) {
            float[] b = panelPool.poll();
            if (b == null) {
                break;
            }
            if (b.length >= size && b.length <= 2L * size) {
                return b;
            }
        }
        return new float[size];
    }

    /** K of one (batch item, kv head) as panels of {@code panel} keys: {@code kp[(p·d + x)·panel + lane]}. */
    private float[] panels(HeadBinding c) {
        AttentionInputs in = c.in;
        AttentionShape shape = in.shape().kvShape();
        int d = headDim;
        int tokenStride = in.layout() == TensorLayout.BHLD ? d : shape.heads() * d;
        int headBase = (int) in.layout().index(shape, c.batch, c.kvHead, 0, 0);
        float[] k = in.k();
        int panel = rows.panel();
        int np = (c.n + panel - 1) / panel;
        float[] kp = takePanel(np * d * panel);
        for (int j = 0; j < c.n; j++) {
            int src = headBase + j * tokenStride;
            int dst = j / panel * d * panel + j % panel;
            for (int x = 0; x < d; x++) {
                kp[dst + x * panel] = k[src + x];
            }
        }
        return kp;
    }
}
