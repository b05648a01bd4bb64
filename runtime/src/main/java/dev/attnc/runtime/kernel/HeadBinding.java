package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.SegmentRuns;

/**
 * Everything a generated kernel's mask depends on for one (batch item, layer, head): the
 * parameter values at this layer and head (and the item's run-time prefix length), the global sets of this batch item (static parts
 * resolved against {@code n}, plus the runtime {@code global_mask}), the random-block tables,
 * and the row stride (the least common multiple of the dilations, so that each row group
 * shares one residue). Filled once per call by the generated {@code bind}, then read-only.
 */
public final class HeadBinding {

    public final AttentionInputs in;
    /** Sequence length. */
    public final int n;

    public final int batch;
    public final int layer;
    public final int head;
    /** The key/value head this query head reads, {@code head / (H / G)} (grouped-query attention). */
    public final int kvHead;
    /**
     * Parameter slots, in the order the loop IR numbers them: values at this layer and head, and
     * the batch item's {@code prefix_len} when the pattern has a {@code from input} key or query set.
     */
    public final int[] p;
    /** One set per {@code global} term of the pattern. */
    public final GlobalSet[] g;
    /** One table per random-block term. */
    public final RandomTable[] r;
    /** The segments of this batch item ({@code segments from input}), shared by its heads; null when unused. */
    public SegmentRuns seg;
    /** Rows of a group are {@code first + rowStride·t}; 1 unless windows are dilated. */
    public int rowStride = 1;
    /** K of this (batch item, kv head) in panels, made once per call by the engine (shared by the group). */
    float[] kp;

    HeadBinding(AttentionInputs in, int batch, int head, int params, int globals, int randoms) {
        this.in = in;
        this.n = in.shape().length();
        this.batch = batch;
        this.layer = in.layer();
        this.head = head;
        this.kvHead = in.shape().kvHead(head);
        this.p = new int[params];
        this.g = new GlobalSet[globals];
        this.r = new RandomTable[randoms];
    }

    /** Whether row {@code i} is in the set of any global term (it uses qg, kg, vg when given). */
    public boolean isGlobalRow(int i) {
        for (GlobalSet s : g) {
            if (s.contains(i)) {
                return true;
            }
        }
        return false;
    }

    /** The least common multiple, for {@link #rowStride} of several dilations. */
    public static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
