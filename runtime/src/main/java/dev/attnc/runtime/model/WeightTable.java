package dev.attnc.runtime.model;

import dev.attnc.runtime.weights.Checkpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A checkpoint read by parameter name, with or without the base model's prefix
 * ({@code longformer.}, {@code bert.}), that collects every problem instead of stopping at the
 * first: {@link #take} returns a placeholder for a missing or misshapen tensor and
 * {@link #finish} throws one {@link ModelException} listing them all; the tensors nobody took are
 * {@link #unused()} (a task head such as {@code lm_head.*} or {@code classifier.*}).
 */
final class WeightTable {

    private final Checkpoint checkpoint;
    private final String prefix;
    private final Set<String> taken = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    WeightTable(Checkpoint checkpoint, ModelFamily family) {
        this.checkpoint = checkpoint;
        String p = family.basePrefix();
        boolean prefixed = !p.isEmpty() && checkpoint.names().stream().anyMatch(n -> n.startsWith(p));
        this.prefix = prefixed ? p : "";
    }

    /** The stored name of parameter {@code name}. */
    String stored(String name) {
        return prefix + name;
    }

    /** Whether the checkpoint holds {@code name}. */
    boolean has(String name) {
        return checkpoint.has(stored(name));
    }

    /**
     * The tensor {@code name} as floats, checked to have {@code shape}; on a problem, records it
     * and returns zeros of the expected size so that loading goes on and reports everything.
     */
    float[] take(String name, long... shape) {
        String s = stored(name);
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (!checkpoint.has(s)) {
            problems.add("missing " + s + " " + Arrays.toString(shape));
            return new float[(int) elements];
        }
        taken.add(s);
        long[] got = checkpoint.info(s).shape();
        if (!Arrays.equals(got, shape)) {
            problems.add(s + ": expected shape " + Arrays.toString(shape) + ", got " + Arrays.toString(got));
            return new float[(int) elements];
        }
        return checkpoint.floats(s);
    }

    /** A tensor whose first dimension the checkpoint decides (vocabularies, position tables). */
    float[] takeRows(String name, long cols, long[] rowsOut) {
        String s = stored(name);
        if (!checkpoint.has(s)) {
            problems.add("missing " + s + " [?, " + cols + "]");
            rowsOut[0] = 1;
            return new float[(int) cols];
        }
        long[] got = checkpoint.info(s).shape();
        if (got.length != 2 || got[1] != cols) {
            problems.add(s + ": expected shape [rows, " + cols + "], got " + Arrays.toString(got));
            rowsOut[0] = 1;
            return new float[(int) cols];
        }
        taken.add(s);
        rowsOut[0] = got[0];
        return checkpoint.floats(s);
    }

    /** @throws ModelException listing every missing or misshapen tensor, when there is one */
    void finish(String source) {
        if (!problems.isEmpty()) {
            throw new ModelException(source + ": " + problems.size() + " weight problem"
                    + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
        }
    }

    /** Stored names nobody took. */
    List<String> unused() {
        List<String> out = new ArrayList<>();
        for (String n : checkpoint.names()) {
            if (!taken.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
