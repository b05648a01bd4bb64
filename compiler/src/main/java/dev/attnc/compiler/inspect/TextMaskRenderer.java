package dev.attnc.compiler.inspect;

import java.util.Map;

/**
 * Prints a mask as text: the title, then one line per query (queries down, keys across),
 * one character per key ({@link TermKind#symbol()} of the kind drawn, {@code .} when not
 * attended), then a legend of the kinds that appear. For {@code n} up to {@link #MAX_N}.
 * <pre>
 * causal_w2 · n = 4 · layer 0, head 0 · density 56.25% (9 of 16 pairs)
 * w...
 * ww..
 * www.
 * .www
 * w window   . not attended
 * </pre>
 */
public final class TextMaskRenderer {

    /** Longer rows do not fit a terminal; larger masks are drawn as SVG. */
    public static final int MAX_N = 256;

    private TextMaskRenderer() {}

    public static String render(MaskPicture picture) {
        int n = picture.size();
        if (n > MAX_N) {
            throw new IllegalArgumentException("n = " + n + " is too large for text (at most " + MAX_N + ")");
        }
        KindMask mask = picture.mask();
        StringBuilder sb = new StringBuilder((n + 1) * (n + 2) + 200);
        sb.append(picture.title()).append('\n');
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                TermKind kind = mask.at(q, k);
                sb.append(kind == null ? TermKind.NOT_ATTENDED : kind.symbol());
            }
            sb.append('\n');
        }
        sb.append(legend(picture.cellsByKind())).append('\n');
        return sb.toString();
    }

    /** {@code g global   w window   . not attended}: the kinds drawn, in priority order. */
    static String legend(Map<TermKind, Long> drawn) {
        StringBuilder sb = new StringBuilder();
        for (TermKind kind : drawn.keySet()) {
            sb.append(kind.symbol()).append(' ').append(kind.label()).append("   ");
        }
        return sb.append(TermKind.NOT_ATTENDED).append(" not attended").toString();
    }
}
