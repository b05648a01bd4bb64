package dev.attnc.compiler.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real GPU (SASS) target of nvcc, written {@code sm_NN} (for example {@code sm_80}, {@code sm_90},
 * {@code sm_120}). Only architectures that nvcc 13 accepts exist: {@link #SUPPORTED}. Variants with a
 * suffix ({@code sm_90a}, {@code sm_100f}) are deliberately not accepted; they make a cubin that runs
 * on one GPU family only.
 *
 * <p>Guarantees: every instance has a number in {@link #SUPPORTED}; {@link #toString()} gives back the
 * {@code sm_NN} form that {@link #parse} accepts; ordering is by number ({@code sm_90 < sm_100}).
 *
 * @param number the compute capability as nvcc writes it, major times ten plus minor (80 for sm_80)
 */
public record CudaArch(int number) implements Comparable<CudaArch> {

    /** The SM numbers nvcc 13.0 accepts ({@code nvcc --list-gpu-arch}); sm_70 and older were dropped. */
    public static final List<Integer> SUPPORTED = List.of(75, 80, 86, 87, 88, 89, 90, 100, 103, 110, 120, 121);

    /** sm_80 (Ampere A100) and sm_90 (Hopper H100): the targets built when none are named. */
    public static final List<CudaArch> DEFAULTS = List.of(new CudaArch(80), new CudaArch(90));

    private static final Pattern FORM = Pattern.compile("sm_([0-9]{2,3})");

    /** @throws IllegalArgumentException if {@code number} is not in {@link #SUPPORTED} */
    public CudaArch {
        if (!SUPPORTED.contains(number)) {
            throw unknown("sm_" + number);
        }
    }

    /**
     * Parses one {@code sm_NN} value (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the value and the accepted form when it is not a
     *     supported architecture
     */
    public static CudaArch parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        Matcher m = FORM.matcher(t);
        if (!m.matches() || !SUPPORTED.contains(Integer.parseInt(m.group(1)))) {
            throw unknown(t);
        }
        return new CudaArch(Integer.parseInt(m.group(1)));
    }

    /**
     * Parses a comma-separated list such as {@code "sm_80,sm_90"}. The result is sorted, without
     * duplicates, unmodifiable and never empty.
     *
     * @throws IllegalArgumentException for an empty list or any unsupported value (the first one is named)
     */
    public static List<CudaArch> parseList(String text) {
        Objects.requireNonNull(text, "text");
        List<CudaArch> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            CudaArch a = parse(part);
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        Collections.sort(out);
        return List.copyOf(out);
    }

    /** {@code compute_NN}: the virtual architecture (PTX level) of the same number. */
    public String computeName() {
        return "compute_" + number;
    }

    /** {@code sm_NN}. */
    @Override
    public String toString() {
        return "sm_" + number;
    }

    @Override
    public int compareTo(CudaArch o) {
        return Integer.compare(number, o.number);
    }

    private static IllegalArgumentException unknown(String value) {
        String supported = SUPPORTED.stream().map(n -> "sm_" + n).collect(Collectors.joining(", "));
        return new IllegalArgumentException("unknown CUDA architecture '" + value
                + "': use sm_75 or newer, written sm_NN (nvcc 13 supports " + supported + ")");
    }
}
