package dev.attnc.runtime.weights;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * The error for a tensor name that is absent, with the names that differ from it only by a
 * leading prefix (Hugging Face checkpoints name the same weight {@code encoder.layer.0...} or
 * {@code bert.encoder.layer.0...} depending on the head the model was saved with).
 */
final class TensorLookup {

    private static final int MAX_SUGGESTIONS = 3;

    private TensorLookup() {}

    /** {@code "<where>: tensor '<name>': not found among the N tensors[; similar: ...]"}. */
    static WeightsException missing(Path where, String name, SortedSet<String> names) {
        List<String> similar = names.stream()
                .filter(n -> !n.isEmpty() && !name.isEmpty() && (n.endsWith("." + name) || name.endsWith("." + n)))
                .limit(MAX_SUGGESTIONS)
                .collect(Collectors.toList());
        String hint = similar.isEmpty()
                ? ""
                : "; similar: " + similar.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return WeightsException.tensor(
                where, name, "not found among the " + names.size() + " tensors of " + where.getFileName() + hint);
    }
}
