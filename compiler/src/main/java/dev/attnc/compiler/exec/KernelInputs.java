package dev.attnc.compiler.exec;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.io.NpyArray;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A pattern's named input arrays, checked and turned into the kernel API's inputs: the
 * {@link AttentionInputs} of a softmax pattern or the {@link AdditiveInputs} of an additive
 * one, with the shape of the output (that of q). Bind once, compute on any backend's
 * {@link BackendKernel} of the same pattern.
 */
public sealed interface KernelInputs {

    /** Every input name the backends know. */
    List<String> NAMES = List.of(
            "q",
            "k",
            "v",
            "qg",
            "kg",
            "vg",
            "global_mask",
            "key_valid",
            "layout",
            "prefix_len",
            "W_qa",
            "b_qa",
            "W_ka",
            "b_ka",
            "W_r",
            "b_r",
            "segment_ids");

    /** The pattern these inputs were bound for. */
    String pattern();

    /** The output's shape: q's. */
    int[] outputShape();

    /** The inputs of a softmax pattern. */
    record Softmax(String pattern, AttentionInputs inputs, int[] outputShape) implements KernelInputs {}

    /** The inputs of an additive (Fastformer) pattern. */
    record Additive(String pattern, AdditiveInputs inputs, int[] outputShape) implements KernelInputs {}

    /**
     * Checks {@code arrays} (name → array, names from {@link #NAMES}) against each other, the
     * pattern and {@code options}, and builds the kernel inputs.
     *
     * @throws RunException naming the input or option that does not fit and what was expected
     * @throws IllegalArgumentException from the kernel API's builders, for what they check
     *     (the global projections or the output transform given in part)
     */
    static KernelInputs bind(CheckedPattern pattern, RunOptions options, Map<String, NpyArray> arrays) {
        checkNames(arrays.keySet());
        return new InputBinder(pattern.ir(), options).bind(arrays);
    }

    /**
     * Fails on the first name that is not an input name.
     *
     * @throws RunException {@code unknown input 'NAME'; the inputs are: q k v …}
     */
    static void checkNames(Collection<String> names) {
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new RunException("unknown input '" + name + "'; the inputs are: " + String.join(" ", NAMES));
            }
        }
    }
}
