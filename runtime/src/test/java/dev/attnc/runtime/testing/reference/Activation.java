package dev.attnc.runtime.testing.reference;

/**
 * Hugging Face's {@code ACT2FN} entries the reference models use ({@code
 * transformers/activations.py}): {@code "gelu"} ({@code GELUActivation}, {@code
 * nn.functional.gelu}: {@code x · ½ · (1 + erf(x / √2))}), {@code "gelu_new"} ({@code
 * NewGELUActivation}) and {@code "gelu_pytorch_tanh"} ({@code F.gelu(approximate="tanh")}), both
 * {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}, and {@code "relu"}.
 */
enum Activation {
    GELU,
    GELU_TANH,
    RELU;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    /** The activation named as in a {@code config.json}'s {@code hidden_act}. */
    static Activation of(String hiddenAct) {
        if (hiddenAct == null) {
            throw new IllegalArgumentException("hiddenAct must be gelu, gelu_new, gelu_pytorch_tanh or relu, got null");
        }
        return switch (hiddenAct) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            default ->
                throw new IllegalArgumentException(
                        "hiddenAct must be gelu, gelu_new, gelu_pytorch_tanh or relu, got " + hiddenAct);
        };
    }

    double apply(double x) {
        return switch (this) {
            case GELU -> x * 0.5 * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
            case GELU_TANH -> 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(0.0, x);
        };
    }
}
