package dev.attnc.compiler.exec;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.io.NpyArray;

/** What the backends' kernels share: the pattern and options they were opened with, and the dispatch on the inputs' kind. */
abstract class OpenedKernel implements BackendKernel {

    private final String backend;
    private final CheckedPattern pattern;
    private final RunOptions options;

    OpenedKernel(String backend, CheckedPattern pattern, RunOptions options) {
        this.backend = backend;
        this.pattern = pattern;
        this.options = options;
    }

    @Override
    public final String backend() {
        return backend;
    }

    @Override
    public final CheckedPattern pattern() {
        return pattern;
    }

    @Override
    public final RunOptions options() {
        return options;
    }

    @Override
    public final NpyArray compute(KernelInputs in) {
        if (!in.pattern().equals(pattern.name())) {
            throw new IllegalArgumentException(
                    "inputs: bound for pattern " + in.pattern() + ", but this kernel runs " + pattern.name());
        }
        float[] out;
        if (in instanceof KernelInputs.Softmax s) {
            out = softmax(s.inputs());
        } else {
            out = additive(((KernelInputs.Additive) in).inputs());
        }
        return NpyArray.ofFloats(out, in.outputShape());
    }

    /** The output of a softmax pattern, in the inputs' layout. */
    abstract float[] softmax(AttentionInputs in);

    /** The output of an additive pattern, token-major. */
    abstract float[] additive(AdditiveInputs in);
}
