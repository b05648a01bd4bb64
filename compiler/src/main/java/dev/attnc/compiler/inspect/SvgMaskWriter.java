package dev.attnc.compiler.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a mask as an SVG picture in the style of the Longformer and BigBird figures:
 * queries down, keys across, each attended pair coloured by the {@link TermKind} it is
 * drawn as, a legend of the kinds present, and a title with the pattern, {@code n}, the
 * layer and head, and the density.
 *
 * <p>The document's structure is stable so that tools and tests can read it back:
 * <ul>
 *   <li>{@code <title>} and {@code <text id="title">} (pattern name), {@code <text id="details">}
 *       ({@link MaskPicture#title()}), and, when cells are merged, {@code <text id="note">};</li>
 *   <li>{@code <g id="cells" data-tokens-per-cell="g">}: one {@code rect} per run of equal
 *       cells, in cell units (cell {@code (row, col)} covers queries {@code row·g..} and keys
 *       {@code col·g..}), scaled to the plot by the group's transform;</li>
 *   <li>{@code <g id="legend">}: one {@code <g class="legend-entry" data-kind="…">} per kind present.</li>
 * </ul>
 *
 * <p>Size: up to {@link #EXACT_MAX_N} one cell is one pair, and horizontal runs of a kind
 * (and rows equal to the row above) are merged into one rect. Beyond it, cells of
 * {@code g × g} pairs ({@code g = ceil(n / 512)}) take the colour of their most frequent
 * kind, with an opacity that grows with the share of the cell attended (from 40% for a
 * single pair to 100% for all, in steps of 5%), and the picture says so in its note.
 */
public final class SvgMaskWriter {

    /** The largest n drawn: the picture stays small (cells are merged), but evaluating the mask takes time in n². */
    public static final int MAX_N = 32768;

    /** Up to this {@code n}, every pair is its own cell. */
    public static final int EXACT_MAX_N = 512;

    private static final int PLOT = 512;
    private static final int LEFT = 64;
    private static final int GAP = 24;
    private static final int LEGEND_W = 280;
    private static final int SWATCH = 14;
    private static final int LEGEND_ROW = 22;
    private static final int SHADE_STEPS = 20;

    /**
     * The opacity floor of a merged cell with any pair attended (8/20 = 40%): a global row or a
     * dilated diagonal fills a small share of its cells and must stay visible, as in the papers'
     * figures.
     */
    static final int MIN_SHADE = 8;

    private static final int MAX_GRID_BLOCKS = 64;

    private SvgMaskWriter() {}

    /** The SVG document. */
    public static String render(MaskPicture picture) {
        int n = picture.size();
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n = " + n + " cannot be drawn (1 to " + MAX_N + ")");
        }
        int g = n <= EXACT_MAX_N ? 1 : ceilDiv(n, PLOT);
        int cells = ceilDiv(n, g);
        List<Rect> rects = g == 1 ? exactRuns(picture.mask()) : mergedRuns(picture.mask(), g);
        String note = g == 1
                ? null
                : String.format(
                        Locale.ROOT,
                        "each cell is %d×%d pairs, coloured by its most frequent kind; opacity shows the share attended",
                        g,
                        g);
        return document(picture, g, cells, rects, note);
    }

    // --- cells ---------------------------------------------------------------------------

    /** A rect in cell units; {@code shade} in 1/{@value #SHADE_STEPS} steps ({@code SHADE_STEPS} = opaque). */
    record Rect(int x, int y, int width, int height, TermKind kind, int shade) {
        boolean sameRun(Rect o) {
            return x == o.x && width == o.width && kind == o.kind && shade == o.shade;
        }
    }

    private static List<Rect> exactRuns(KindMask mask) {
        int n = mask.size();
        RowMerger merger = new RowMerger();
        List<Rect> row = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            row.clear();
            int k = 0;
            while (k < n) {
                TermKind kind = mask.at(q, k);
                int start = k;
                do {
                    k++;
                } while (k < n && mask.at(q, k) == kind);
                if (kind != null) {
                    row.add(new Rect(start, q, k - start, 1, kind, SHADE_STEPS));
                }
            }
            merger.add(q, row);
        }
        return merger.finish();
    }

    private static List<Rect> mergedRuns(KindMask mask, int g) {
        int n = mask.size();
        int cells = ceilDiv(n, g);
        int kinds = TermKind.values().length;
        int[] counts = new int[cells * kinds];
        RowMerger merger = new RowMerger();
        List<Rect> row = new ArrayList<>();
        for (int cr = 0; cr < cells; cr++) {
            Arrays.fill(counts, 0);
            int q0 = cr * g;
            int q1 = Math.min(n, q0 + g);
            for (int q = q0; q < q1; q++) {
                for (int k = 0; k < n; k++) {
                    TermKind kind = mask.at(q, k);
                    if (kind != null) {
                        counts[(k / g) * kinds + kind.ordinal()]++;
                    }
                }
            }
            row.clear();
            for (int cc = 0; cc < cells; cc++) {
                int area = (q1 - q0) * (Math.min(n, cc * g + g) - cc * g);
                int total = 0;
                int best = -1;
                for (int t = 0; t < kinds; t++) {
                    int c = counts[cc * kinds + t];
                    total += c;
                    if (c > 0 && (best < 0 || c > counts[cc * kinds + best])) {
                        best = t;
                    }
                }
                if (total == 0) {
                    continue;
                }
                int shade = MIN_SHADE + (int) Math.round((double) total * (SHADE_STEPS - MIN_SHADE) / area);
                Rect cell = new Rect(cc, cr, 1, 1, TermKind.values()[best], shade);
                Rect last = row.isEmpty() ? null : row.get(row.size() - 1);
                if (last != null && last.x + last.width == cc && last.kind == cell.kind && last.shade == cell.shade) {
                    row.set(row.size() - 1, new Rect(last.x, cr, last.width + 1, 1, last.kind, last.shade));
                } else {
                    row.add(cell);
                }
            }
            merger.add(cr, row);
        }
        return merger.finish();
    }

    /** Merges each row's runs into the rects of the rows above when the rows are equal. */
    private static final class RowMerger {
        private final List<Rect> done = new ArrayList<>();
        private List<Rect> open = List.of();

        void add(int y, List<Rect> row) {
            if (sameRuns(open, row)) {
                List<Rect> grown = new ArrayList<>(open.size());
                for (Rect r : open) {
                    grown.add(new Rect(r.x, r.y, r.width, r.height + 1, r.kind, r.shade));
                }
                open = grown;
            } else {
                done.addAll(open);
                open = new ArrayList<>(row);
            }
        }

        List<Rect> finish() {
            done.addAll(open);
            open = List.of();
            return done;
        }

        private static boolean sameRuns(List<Rect> a, List<Rect> b) {
            if (a.size() != b.size() || a.isEmpty()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).sameRun(b.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    // --- document ------------------------------------------------------------------------

    private static String document(MaskPicture picture, int g, int cells, List<Rect> rects, String note) {
        int n = picture.size();
        Map<TermKind, Long> present = picture.cellsByKind();
        int top = note == null ? 82 : 100;
        int legendX = LEFT + PLOT + GAP;
        int legendH = (present.size() + 2) * LEGEND_ROW;
        int width = legendX + LEGEND_W;
        int height = top + Math.max(PLOT, legendH) + 28;
        double scale = (double) PLOT / cells;

        StringBuilder sb = new StringBuilder(64 * rects.size() + 4096);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"Helvetica, Arial, sans-serif\">%n",
                width,
                height,
                width,
                height));
        sb.append("  <title>")
                .append(xml(picture.title()))
                .append(note == null ? "" : " · " + xml(note))
                .append("</title>\n");
        sb.append("  <rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n");
        sb.append("  <text id=\"title\" x=\"")
                .append(LEFT)
                .append("\" y=\"26\" font-size=\"18\" font-weight=\"bold\">")
                .append(xml(picture.pattern()))
                .append("</text>\n");
        sb.append("  <text id=\"details\" x=\"")
                .append(LEFT)
                .append("\" y=\"46\" font-size=\"13\">")
                .append(xml(picture.title()))
                .append("</text>\n");
        if (note != null) {
            sb.append("  <text id=\"note\" x=\"")
                    .append(LEFT)
                    .append("\" y=\"64\" font-size=\"12\" fill=\"#555555\">")
                    .append(xml(note))
                    .append("</text>\n");
        }
        axes(sb, n, top);
        sb.append(String.format(
                Locale.ROOT,
                "  <g id=\"cells\" data-tokens-per-cell=\"%d\" transform=\"translate(%d %d) scale(%s)\""
                        + " shape-rendering=\"crispEdges\">%n",
                g,
                LEFT,
                top,
                number(scale)));
        for (Rect r : rects) {
            sb.append("    <rect x=\"")
                    .append(r.x)
                    .append("\" y=\"")
                    .append(r.y)
                    .append("\" width=\"")
                    .append(r.width)
                    .append("\" height=\"")
                    .append(r.height)
                    .append("\" fill=\"")
                    .append(r.kind.colour())
                    .append('"');
            if (r.shade < SHADE_STEPS) {
                sb.append(" fill-opacity=\"")
                        .append(number((double) r.shade / SHADE_STEPS))
                        .append('"');
            }
            if (g > 1 && r.kind == TermKind.GLOBAL) {
                // A global row or column is one cell thin once cells merge: outline it so it reads
                // as a line, as in the Longformer and BigBird figures.
                sb.append(" stroke=\"")
                        .append(r.kind.colour())
                        .append("\" stroke-width=\"2\"")
                        .append(" vector-effect=\"non-scaling-stroke\"");
            }
            sb.append("/>\n");
        }
        sb.append("  </g>\n");
        blockGrid(sb, n, picture.block(), top);
        sb.append(String.format(
                Locale.ROOT,
                "  <rect id=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333333\"/>%n",
                LEFT - 1,
                top - 1,
                PLOT + 2,
                PLOT + 2));
        legend(sb, present, legendX, top);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void axes(StringBuilder sb, int n, int top) {
        int right = LEFT + PLOT;
        sb.append(String.format(Locale.ROOT, "  <g id=\"axes\" font-size=\"12\" fill=\"#333333\">%n"));
        sb.append(String.format(
                Locale.ROOT,
                "    <text x=\"%d\" y=\"%d\" text-anchor=\"middle\">keys →</text>%n",
                LEFT + PLOT / 2,
                top - 8));
        sb.append(String.format(Locale.ROOT, "    <text x=\"%d\" y=\"%d\">0</text>%n", LEFT, top - 8));
        sb.append(String.format(
                Locale.ROOT, "    <text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", right, top - 8, n - 1));
        sb.append(String.format(
                Locale.ROOT,
                "    <text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(90 %d %d)\">queries →</text>%n",
                LEFT - 14,
                top + PLOT / 2,
                LEFT - 14,
                top + PLOT / 2));
        sb.append(String.format(
                Locale.ROOT, "    <text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 4, top + 10));
        sb.append(String.format(
                Locale.ROOT,
                "    <text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n",
                LEFT - 4,
                top + PLOT,
                n - 1));
        sb.append("  </g>\n");
    }

    /** Thin lines between blocks, when there are 2 to {@value #MAX_GRID_BLOCKS} of them. */
    private static void blockGrid(StringBuilder sb, int n, int block, int top) {
        int blocks = block == 0 ? 0 : ceilDiv(n, block);
        if (blocks < 2 || blocks > MAX_GRID_BLOCKS) {
            return;
        }
        sb.append("  <g id=\"block-grid\" data-block=\"")
                .append(block)
                .append("\" stroke=\"#BBBBBB\" stroke-width=\"0.5\">\n");
        for (int b = 1; b < blocks; b++) {
            double at = (double) b * block * PLOT / n;
            String x = number(LEFT + at);
            String y = number(top + at);
            sb.append(String.format(
                    Locale.ROOT, "    <line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>%n", x, top, x, top + PLOT));
            sb.append(String.format(
                    Locale.ROOT, "    <line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>%n", LEFT, y, LEFT + PLOT, y));
        }
        sb.append("  </g>\n");
    }

    private static void legend(StringBuilder sb, Map<TermKind, Long> present, int x, int top) {
        sb.append("  <g id=\"legend\" font-size=\"13\">\n");
        sb.append(String.format(
                Locale.ROOT, "    <text x=\"%d\" y=\"%d\" font-weight=\"bold\">term kinds</text>%n", x, top + 12));
        int y = top + LEGEND_ROW;
        for (Map.Entry<TermKind, Long> e : present.entrySet()) {
            TermKind kind = e.getKey();
            sb.append(String.format(
                    Locale.ROOT,
                    "    <g class=\"legend-entry\" data-kind=\"%s\">"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s (%,d pairs)</text></g>%n",
                    kind.name(),
                    x,
                    y,
                    SWATCH,
                    SWATCH,
                    kind.colour(),
                    x + SWATCH + 8,
                    y + SWATCH - 2,
                    xml(kind.label()),
                    e.getValue()));
            y += LEGEND_ROW;
        }
        sb.append(String.format(
                Locale.ROOT,
                "    <g class=\"legend-blank\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#FFFFFF\""
                        + " stroke=\"#333333\"/><text x=\"%d\" y=\"%d\">not attended</text></g>%n",
                x,
                y,
                SWATCH,
                SWATCH,
                x + SWATCH + 8,
                y + SWATCH - 2));
        sb.append("  </g>\n");
    }

    private static String number(double d) {
        String s = String.format(Locale.ROOT, "%.6f", d);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
