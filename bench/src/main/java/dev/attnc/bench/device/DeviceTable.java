package dev.attnc.bench.device;

import java.util.List;
import java.util.Locale;

/**
 * The device benchmark's table: one row per (pattern, dtype, n) with median and minimum
 * milliseconds per call, and TFLOP/s and GB/s at the median ({@link DeviceWork} states what is
 * counted), as markdown or tab-separated text.
 */
public final class DeviceTable {

    static final String[] HEADER = {"pattern", "dtype", "n", "median ms", "min ms", "TFLOP/s", "GB/s"};

    private DeviceTable() {}

    /** A markdown table (text columns left-, numbers right-aligned). */
    public static String markdown(List<DeviceRow> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (DeviceRow r : rows) {
            b.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
        }
        return b.toString();
    }

    /** Tab-separated values with a header line. */
    public static String tsv(List<DeviceRow> rows) {
        StringBuilder b = new StringBuilder(String.join("\t", HEADER)).append('\n');
        for (DeviceRow r : rows) {
            b.append(String.join("\t", cells(r))).append('\n');
        }
        return b.toString();
    }

    static String[] cells(DeviceRow r) {
        return new String[] {
            r.work().workload().pattern(),
            r.work().dtype().spelling(),
            Integer.toString(r.work().workload().n()),
            f("%.3f", r.times().median()),
            f("%.3f", r.times().min()),
            f("%.2f", r.teraflops()),
            f("%.1f", r.gigabytes())
        };
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
