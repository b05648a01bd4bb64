package dev.attnc.bench.device;

import dev.attnc.runtime.cuda.CudaDtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The command line of {@link DeviceBenchmark}.
 *
 * @param patterns      patterns of {@code specs/} to time, in order
 * @param lengths       sequence lengths n, in order
 * @param dtypes        device element types, in order
 * @param warmup        untimed launches before the timed ones (≥ 0)
 * @param iterations    timed launches per point (≥ 1)
 * @param out           file for the table ({@code .tsv}: tab-separated, otherwise markdown), or null
 * @param requireDevice exit with {@link DeviceBenchmark#EXIT_NO_DEVICE} instead of 0 when no device can run
 */
public record DeviceBenchOptions(
        List<String> patterns,
        List<Integer> lengths,
        List<CudaDtype> dtypes,
        int warmup,
        int iterations,
        Path out,
        boolean requireDevice) {

    /** Longformer-base, BigBird ITC, dense and Fastformer (the additive kernel). */
    public static final List<String> DEFAULT_PATTERNS =
            List.of("longformer_base", "bigbird_itc", "dense", "fastformer");

    public static final List<Integer> DEFAULT_LENGTHS = List.of(4096, 8192, 16384, 32768, 65536);
    public static final List<CudaDtype> DEFAULT_DTYPES = List.of(CudaDtype.F16, CudaDtype.BF16, CudaDtype.F32);
    public static final int DEFAULT_WARMUP = 5;
    public static final int DEFAULT_ITERATIONS = 20;

    public static final String USAGE = """
            usage: DeviceBenchmark [--patterns P,…] [--n N,…] [--dtypes fp16,bf16,fp32] [--warmup W]
                                   [--iterations I] [--out FILE.md|FILE.tsv] [--require-device]
              --patterns    patterns of specs/ (default longformer_base,bigbird_itc,dense,fastformer)
              --n           sequence lengths (default 4096,8192,16384,32768,65536)
              --dtypes      fp16, bf16, fp32 (also f16, f32; default all three)
              --warmup      untimed launches per point (default 5)
              --iterations  timed launches per point, each between two CUDA events (default 20)
              --out         also write the table to FILE (tab-separated when it ends in .tsv)
              --require-device  exit 4 instead of 0 when no CUDA device can run
            """;

    public DeviceBenchOptions {
        patterns = List.copyOf(patterns);
        lengths = List.copyOf(lengths);
        dtypes = List.copyOf(dtypes);
        if (patterns.isEmpty() || lengths.isEmpty() || dtypes.isEmpty()) {
            throw new IllegalArgumentException("--patterns, --n, --dtypes: expected at least one value each");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup: expected >= 0, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations: expected >= 1, got " + iterations);
        }
    }

    /** The defaults: every pattern, length and dtype above, 5 + 20 launches, no file. */
    public static DeviceBenchOptions defaults() {
        return new DeviceBenchOptions(
                DEFAULT_PATTERNS, DEFAULT_LENGTHS, DEFAULT_DTYPES, DEFAULT_WARMUP, DEFAULT_ITERATIONS, null, false);
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the option and the expected value, on an unknown
     *     option, a missing or malformed value
     */
    public static DeviceBenchOptions parse(String... args) {
        List<String> patterns = DEFAULT_PATTERNS;
        List<Integer> lengths = DEFAULT_LENGTHS;
        List<CudaDtype> dtypes = DEFAULT_DTYPES;
        int warmup = DEFAULT_WARMUP;
        int iterations = DEFAULT_ITERATIONS;
        Path out = null;
        boolean require = false;
        for (int i = 0; i < args.length; i++) {
            String a = Objects.requireNonNull(args[i], "argument");
            switch (a) {
                case "--patterns" -> patterns = list(a, value(args, ++i, a));
                case "--n" ->
                    lengths = list(a, value(args, ++i, a)).stream()
                            .map(s -> positive(a, s))
                            .toList();
                case "--dtypes" ->
                    dtypes = list(a, value(args, ++i, a)).stream()
                            .map(DeviceBenchOptions::dtype)
                            .toList();
                case "--warmup" -> warmup = integer(a, value(args, ++i, a));
                case "--iterations" -> iterations = integer(a, value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--require-device" -> require = true;
                default ->
                    throw new IllegalArgumentException("unknown option '" + a + "'; expected one of --patterns,"
                            + " --n, --dtypes, --warmup, --iterations, --out, --require-device, --help");
            }
        }
        return new DeviceBenchOptions(patterns, lengths, dtypes, warmup, iterations, out, require);
    }

    /** {@code fp16}, {@code bf16}, {@code fp32} or the entry suffixes {@code f16}, {@code f32}. */
    static CudaDtype dtype(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        for (CudaDtype d : CudaDtype.values()) {
            if (d.spelling().equals(l) || d.suffix().equals(l)) {
                return d;
            }
        }
        throw new IllegalArgumentException("--dtypes: expected fp16, bf16 or fp32, got '" + s + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + ": missing value");
        }
        return args[i];
    }

    private static List<String> list(String option, String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            String t = s.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException(option + ": empty item in '" + value + "'");
            }
            out.add(t);
        }
        return out;
    }

    private static int integer(String option, String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected an integer, got '" + s + "'");
        }
    }

    private static int positive(String option, String s) {
        int v = integer(option, s);
        if (v < 1) {
            throw new IllegalArgumentException(option + ": expected lengths >= 1, got " + v);
        }
        return v;
    }
}
