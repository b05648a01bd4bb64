package dev.attnc.compiler.cli;

/** Range checks of option values; a value out of range is a user error (exit 1). */
final class Options {

    private Options() {}

    static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new UserError(option + " must be at least " + min + ", not " + value);
        }
    }

    static void atMost(String option, int value, int max, String hint) {
        if (value > max) {
            throw new UserError(option + " " + value + " is too large (at most " + max + ")" + hint);
        }
    }
}
