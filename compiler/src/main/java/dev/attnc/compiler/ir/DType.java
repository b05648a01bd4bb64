package dev.attnc.compiler.ir;

import java.util.Optional;

/** Element types of the CUDA target's inputs; accumulation is always fp32. */
public enum DType {
    FP32("fp32"),
    FP16("fp16"),
    BF16("bf16");

    private final String spelling;

    DType(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    public static Optional<DType> parse(String s) {
        for (DType d : values()) {
            if (d.spelling.equals(s)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
