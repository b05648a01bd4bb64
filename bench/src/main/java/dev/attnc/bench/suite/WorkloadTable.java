package dev.attnc.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grid's workloads as a tab-separated file ({@code workloads.tsv} beside the JMH JSON), so a
 * results folder holds the exact pair and FLOP counts it was measured with and the report needs
 * no compiler. Columns: {@code pattern n heads head_dim layer pairs flops growth}.
 */
public final class WorkloadTable {

    static final String HEADER = "pattern\tn\theads\thead_dim\tlayer\tpairs\tflops\tgrowth";

    private WorkloadTable() {}

    /** The file's text: the header, then one line per workload in the given order. */
    public static String format(List<Workload> workloads) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Workload w : workloads) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%s\t%d\t%d\t%d\t%d\t%d\t%.0f\t%s%n",
                    w.pattern(),
                    w.n(),
                    w.heads(),
                    w.headDim(),
                    w.layer(),
                    w.pairs(),
                    w.flops(),
                    w.growth().label()));
        }
        return sb.toString();
    }

    public static void write(Path file, List<Workload> workloads) {
        try {
            Files.writeString(file, format(workloads), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Parses {@link #format}'s text, by {@link Workload#key()}.
     *
     * @throws IllegalArgumentException naming {@code source} and the line when a line is malformed
     */
    public static Map<String, Workload> parse(String text, String source) {
        Map<String, Workload> out = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException(source + ": expected the header '" + HEADER.replace('\t', ' ') + "'");
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split("\t");
            try {
                if (f.length != 8) {
                    throw new IllegalArgumentException("expected 8 tab-separated fields, got " + f.length);
                }
                Workload w = new Workload(
                        f[0],
                        Integer.parseInt(f[1]),
                        Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]),
                        Long.parseLong(f[5]),
                        Double.parseDouble(f[6]),
                        Workload.Growth.valueOf(f[7].toUpperCase(Locale.ROOT)));
                out.put(w.key(), w);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public static Map<String, Workload> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
