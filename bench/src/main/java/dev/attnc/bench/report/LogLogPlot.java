package dev.attnc.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.DoubleFunction;

/**
 * A small log-log line plot writer: panels side by side in one SVG document (the layout of the
 * Longformer paper's Figure 1: memory and time against sequence length), one legend for the
 * figure. The output is a pure function of the input: fixed sizes, numbers printed with two
 * decimals in {@link Locale#ROOT}, series drawn in the given order. Points whose value cannot be
 * drawn on a log axis (zero, negative, NaN) are left out. Every point is a {@code <circle>} with
 * {@code data-series}, {@code data-x} and {@code data-y} attributes and a {@code <title>} tooltip.
 */
public final class LogLogPlot {

    /** One measured value. */
    public record Point(double x, double y) {}

    /** A line of points, drawn in {@code color} (an SVG color), dashed or solid. */
    public record Series(String name, String color, boolean dashed, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** One log-log axis box; {@code yFormat} labels the y ticks (decades), x ticks are the data's x values. */
    public record Panel(
            String title, String xLabel, String yLabel, DoubleFunction<String> yFormat, List<Series> series) {
        public Panel {
            series = List.copyOf(series);
        }
    }

    static final int PANEL_W = 440;
    static final int PANEL_H = 330;
    static final int LEFT = 80;
    static final int RIGHT = 16;
    static final int TOP = 28;
    static final int BOTTOM = 48;
    static final int TITLE_H = 30;
    static final int LEGEND_H = 24;

    private LogLogPlot() {}

    /** The SVG document of {@code panels} under {@code title}. */
    public static String render(String title, List<Panel> panels) {
        int width = PANEL_W * Math.max(1, panels.size());
        int height = TITLE_H + LEGEND_H + PANEL_H;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                width,
                height,
                width,
                height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                width / 2,
                xml(title)));
        legend(sb, panels);
        for (int p = 0; p < panels.size(); p++) {
            sb.append(String.format(
                    Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", p * PANEL_W, TITLE_H + LEGEND_H));
            panel(sb, panels.get(p));
            sb.append("</g>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void legend(StringBuilder sb, List<Panel> panels) {
        Map<String, Series> byName = new LinkedHashMap<>();
        for (Panel p : panels) {
            for (Series s : p.series()) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        int x = LEFT;
        int y = TITLE_H + 12;
        for (Series s : byName.values()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    x,
                    y - 4,
                    x + 22,
                    y - 4,
                    s.color(),
                    s.dashed() ? " stroke-dasharray=\"5,3\"" : ""));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 27, y, xml(s.name())));
            x += 40 + 7 * s.name().length();
        }
    }

    private static void panel(StringBuilder sb, Panel p) {
        TreeSet<Double> xs = new TreeSet<>();
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (Series s : p.series()) {
            for (Point pt : drawable(s)) {
                xs.add(pt.x());
                ymin = Math.min(ymin, pt.y());
                ymax = Math.max(ymax, pt.y());
            }
        }
        int plotW = PANEL_W - LEFT - RIGHT;
        int plotH = PANEL_H - TOP - BOTTOM;
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>%n",
                LEFT + plotW / 2,
                xml(p.title())));
        sb.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT,
                TOP,
                plotW,
                plotH));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2,
                PANEL_H - 8,
                xml(p.xLabel())));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                TOP + plotH / 2,
                TOP + plotH / 2,
                xml(p.yLabel())));
        if (xs.isEmpty()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no data</text>%n",
                    LEFT + plotW / 2,
                    TOP + plotH / 2));
            return;
        }
        Axis x = Axis.of(Math.log10(xs.first()), Math.log10(xs.last()), 0.15);
        Axis y = Axis.decades(Math.log10(ymin), Math.log10(ymax));
        for (double xv : xs) {
            double px = LEFT + x.fraction(Math.log10(xv)) * plotW;
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    px,
                    TOP,
                    px,
                    TOP + plotH));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    px,
                    TOP + plotH + 16,
                    lengthLabel(xv)));
        }
        for (int d = (int) Math.round(y.lo()); d <= (int) Math.round(y.hi()); d++) {
            double py = TOP + plotH - y.fraction(d) * plotH;
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#ddd\"/>%n",
                    LEFT,
                    py,
                    LEFT + plotW,
                    py));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6,
                    py + 4,
                    xml(p.yFormat().apply(Math.pow(10, d)))));
        }
        for (Series s : p.series()) {
            List<Point> pts = drawable(s);
            if (pts.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (Point pt : pts) {
                double px = LEFT + x.fraction(Math.log10(pt.x())) * plotW;
                double py = TOP + plotH - y.fraction(Math.log10(pt.y())) * plotH;
                line.append(String.format(Locale.ROOT, "%s%.2f,%.2f", line.length() == 0 ? "" : " ", px, py));
                dots.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"%s\" data-series=\"%s\" data-x=\"%s\""
                                + " data-y=\"%s\"><title>%s, n = %s: %s</title></circle>%n",
                        px,
                        py,
                        s.color(),
                        xml(s.name()),
                        plain(pt.x()),
                        plain(pt.y()),
                        xml(s.name()),
                        plain(pt.x()),
                        xml(p.yFormat().apply(pt.y()))));
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    line,
                    s.color(),
                    s.dashed() ? " stroke-dasharray=\"5,3\"" : ""));
            sb.append(dots);
        }
    }

    /** The points a log axis can show, by x. */
    static List<Point> drawable(Series s) {
        List<Point> out = new ArrayList<>();
        for (Point p : s.points()) {
            if (p.x() > 0 && p.y() > 0 && Double.isFinite(p.x()) && Double.isFinite(p.y())) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingDouble(Point::x));
        return out;
    }

    /** A log10 range. */
    private record Axis(double lo, double hi) {
        static Axis of(double lo, double hi, double pad) {
            double span = Math.max(hi - lo, 0.5);
            double mid = (lo + hi) / 2;
            return new Axis(mid - span / 2 - pad * span, mid + span / 2 + pad * span);
        }

        static Axis decades(double lo, double hi) {
            double a = Math.floor(lo);
            double b = Math.ceil(hi);
            return new Axis(a, b > a ? b : a + 1);
        }

        double fraction(double v) {
            return (v - lo) / (hi - lo);
        }
    }

    /** {@code 1024 → 1k}, {@code 65536 → 64k}, other values as integers. */
    static String lengthLabel(double n) {
        long v = Math.round(n);
        return v >= 1024 && v % 1024 == 0 ? (v / 1024) + "k" : Long.toString(v);
    }

    /** A number without exponent or trailing zeros. */
    static String plain(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v))
                .stripTrailingZeros()
                .toPlainString();
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
