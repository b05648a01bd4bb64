package dev.attnc.compiler.inspect;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A mask to draw, with what its title says: the pattern, the layer and head it was
 * evaluated for, and the attended pairs counted per drawn kind.
 */
public final class MaskPicture {

    private final String pattern;
    private final int layer;
    private final int head;
    private final KindMask mask;
    private final int block;
    private final Map<TermKind, Long> cellsByKind;
    private final long attended;

    public MaskPicture(String pattern, int layer, int head, KindMask mask) {
        this(pattern, layer, head, mask, 0);
    }

    /** With {@code block > 0}, pictures draw the block grid (as in the BigBird figures). */
    public MaskPicture(String pattern, int layer, int head, KindMask mask, int block) {
        if (block < 0) {
            throw new IllegalArgumentException("block " + block);
        }
        this.block = block;
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.layer = layer;
        this.head = head;
        this.mask = Objects.requireNonNull(mask, "mask");
        this.cellsByKind = count(mask);
        this.attended = cellsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<TermKind, Long> count(KindMask mask) {
        long[] counts = new long[TermKind.values().length];
        int n = mask.size();
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                TermKind kind = mask.at(q, k);
                if (kind != null) {
                    counts[kind.ordinal()]++;
                }
            }
        }
        Map<TermKind, Long> map = new EnumMap<>(TermKind.class);
        for (TermKind kind : TermKind.values()) {
            if (counts[kind.ordinal()] > 0) {
                map.put(kind, counts[kind.ordinal()]);
            }
        }
        return map;
    }

    public String pattern() {
        return pattern;
    }

    public int layer() {
        return layer;
    }

    public int head() {
        return head;
    }

    /** The block size whose grid pictures draw, or 0 for none. */
    public int block() {
        return block;
    }

    public KindMask mask() {
        return mask;
    }

    public int size() {
        return mask.size();
    }

    /** Attended pairs per kind drawn, only for kinds that are drawn at least once, in priority order. */
    public Map<TermKind, Long> cellsByKind() {
        return cellsByKind;
    }

    public long attended() {
        return attended;
    }

    /** Attended pairs over {@code n²}. */
    public double density() {
        long n = size();
        return n == 0 ? 0 : (double) attended / (n * n);
    }

    /** {@code bigbird_itc · n = 1024 · layer 0, head 0 · density 13.28% (139264 of 1048576 pairs)}. */
    public String title() {
        long n = size();
        return String.format(
                Locale.ROOT,
                "%s · n = %d · layer %d, head %d · density %s (%d of %d pairs)",
                pattern,
                n,
                layer,
                head,
                percent(density()),
                attended,
                n * n);
    }

    /** A share as a percentage with two decimals ({@code 13.28%}); never rounds a non-zero share to 0. */
    public static String percent(double share) {
        if (share > 0 && share < 0.00005) {
            return "<0.01%";
        }
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }
}
