package dev.attnc.runtime.nn;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

/**
 * Embeddings, a stack of {@link EncoderLayer}s and an optional {@link Pooler}: a whole encoder
 * for inference. Thread-safe: concurrent calls each take their own {@link Workspace} from a
 * small pool (so repeated calls of one shape allocate nothing but their outputs).
 */
public final class Encoder {

    private static final int POOLED_WORKSPACES = 2;

    private final Embeddings embeddings;
    private final List<EncoderLayer> layers;
    private final Pooler pooler;
    private final int heads;
    private final Queue<Workspace> pool = new ConcurrentLinkedQueue<>();

    public Encoder(Embeddings embeddings, List<EncoderLayer> layers, Pooler pooler, int heads) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an encoder needs at least one layer");
        }
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).attentionOutput().outFeatures() != embeddings.hidden()) {
                throw new IllegalArgumentException("layer " + l + " has hidden size "
                        + layers.get(l).attentionOutput().outFeatures() + ", the embeddings "
                        + embeddings.hidden());
            }
        }
        this.embeddings = embeddings;
        this.layers = List.copyOf(layers);
        this.pooler = pooler;
        this.heads = heads;
    }

    public Embeddings embeddings() {
        return embeddings;
    }

    public int layers() {
        return layers.size();
    }

    public int hidden() {
        return embeddings.hidden();
    }

    public int heads() {
        return heads;
    }

    public boolean hasPooler() {
        return pooler != null;
    }

    /**
     * One forward pass.
     *
     * @param ids {@code [batch, length]} token ids
     * @param tokenTypes {@code [batch, length]}, or null
     * @param keyValid {@code [batch, length]}, false for padding
     * @param globalMask {@code [batch, length]} tokens with global attention (real tokens only), or null
     * @param layouts per layer, a given BigBird random table, or null
     * @param afterLayer told the index of each layer when it is done (progress), or null
     * @return the last hidden states {@code [batch·length, hidden]} and the pooled output
     *     {@code [batch, hidden]} (null without a pooler)
     */
    public Output encode(
            int[] ids,
            int[] tokenTypes,
            int batch,
            int length,
            boolean[] keyValid,
            boolean[] globalMask,
            BigBirdLayout[] layouts,
            IntConsumer afterLayer) {
        int rows = batch * length;
        Workspace ws = take(rows);
        try {
            embeddings.forward(ids, tokenTypes, batch, length, ws.hiddenStates);
            EncoderCall call = new EncoderCall(batch, length, keyValid, globalMask, layouts, ws);
            for (int l = 0; l < layers.size(); l++) {
                layers.get(l).forward(call, l);
                if (afterLayer != null) {
                    afterLayer.accept(l);
                }
            }
            float[] last = java.util.Arrays.copyOf(ws.hiddenStates, rows * hidden());
            float[] pooled = null;
            if (pooler != null) {
                pooled = new float[batch * hidden()];
                pooler.pool(last, batch, length, keyValid, pooled);
            }
            return new Output(last, pooled);
        } finally {
            if (pool.size() < POOLED_WORKSPACES) {
                pool.offer(ws);
            }
        }
    }

    private Workspace take(int rows) {
        int intermediate = layers.get(0).intermediate().outFeatures();
        for (int tries = pool.size(); tries > 0; tries--) {
            Workspace w = pool.poll();
            if (w == null) {
                break;
            }
            if (w.fits(rows, hidden(), intermediate, heads)) {
                return w;
            }
        }
        return new Workspace(rows, hidden(), intermediate, heads);
    }

    /** The encoder's outputs. */
    public record Output(float[] lastHiddenState, float[] poolerOutput) {}
}
