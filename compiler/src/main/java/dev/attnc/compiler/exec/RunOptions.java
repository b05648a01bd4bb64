package dev.attnc.compiler.exec;

import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a pattern is run: the layout of q, k, v and the output (empty: {@code BHLD} for softmax
 * patterns; additive patterns are always token-major), the head count of token-major inputs
 * (empty: the pattern's {@code heads}), the layer index, the element type of the CUDA backends
 * and the Java backend's schedule overrides ({@code qtile=…,ktile=…,grain=…}, or null).
 */
public record RunOptions(
        Optional<TensorLayout> layout, OptionalInt heads, int layer, CudaDtype dtype, String schedule) {

    public RunOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(heads, "heads");
        Objects.requireNonNull(dtype, "dtype");
    }

    /** Default layout and heads, layer 0, fp32, the cost model's schedule. */
    public static RunOptions defaults() {
        return new RunOptions(Optional.empty(), OptionalInt.empty(), 0, CudaDtype.F32, null);
    }

    public RunOptions withLayout(TensorLayout l) {
        return new RunOptions(Optional.of(l), heads, layer, dtype, schedule);
    }

    public RunOptions withHeads(int h) {
        return new RunOptions(layout, OptionalInt.of(h), layer, dtype, schedule);
    }

    public RunOptions withLayer(int l) {
        return new RunOptions(layout, heads, l, dtype, schedule);
    }

    public RunOptions withDtype(CudaDtype d) {
        return new RunOptions(layout, heads, layer, d, schedule);
    }

    public RunOptions withSchedule(String overrides) {
        return new RunOptions(layout, heads, layer, dtype, overrides);
    }

    /**
     * Fails unless the layer index is one of the pattern's layers.
     *
     * @throws RunException naming the option and the pattern's layer count
     */
    public void check(PatternIR p) {
        if (layer < 0 || (p.layers().isPresent() && layer >= p.layers().getAsInt())) {
            throw new RunException(s -> s.option("layer") + " " + layer + " is out of range"
                    + (p.layers().isPresent()
                            ? ": the pattern has " + p.layers().getAsInt() + " layers"
                            : ""));
        }
    }
}
