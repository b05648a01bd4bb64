package dev.attnc.compiler.frontend;

import dev.attnc.compiler.diag.DiagCode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * Words from other tools (Hugging Face configs, FlexAttention, Mistral, Gemma) that a new user
 * writes in a spec, and what attnc says instead: either how attnc spells the same idea
 * ({@link DiagCode#E017}) or that attnc does not support it yet ({@link DiagCode#E018}).
 * docs/LANGUAGE.md ("Errors and suggestions") lists the same table.
 */
public final class ForeignWords {

    /**
     * What to tell the user about one word.
     *
     * @param code    E017 (attnc has it under another spelling) or E018 (not supported yet)
     * @param advice  the message's second argument, given the number written after the word
     *                (when there is one)
     */
    public record Advice(DiagCode code, LongFunction<String> withNumber, String withoutNumber) {

        /** The advice text for {@code number}, the number written after the word if any. */
        public String text(OptionalLong number) {
            return number.isPresent() && withNumber != null ? withNumber.apply(number.getAsLong()) : withoutNumber;
        }
    }

    private static final Map<String, Advice> WORDS = Map.ofEntries(
            Map.entry(
                    "sliding_window",
                    new Advice(
                            DiagCode.E017,
                            n -> "Mistral's sliding_window " + n + " keeps keys k > q - " + n
                                    + ": write 'causal & window " + Math.max(0, n - 1) + " before'",
                            "Mistral's sliding_window W keeps keys k > q - W: write 'causal & window W-1 before'")),
            Map.entry(
                    "attention_window",
                    new Advice(
                            DiagCode.E017,
                            n -> "HF Longformer's attention_window " + n + " counts both sides: write 'window " + n / 2
                                    + " each side'",
                            "HF Longformer's attention_window W counts both sides: write 'window W/2 each side'")),
            Map.entry(
                    "window_size",
                    new Advice(
                            DiagCode.E017,
                            n -> "GPT-Neo's window_size " + n + " includes the query: write 'causal & window "
                                    + Math.max(0, n - 1) + " before'",
                            "GPT-Neo's window_size W includes the query: write 'causal & window W-1 before'")),
            Map.entry("num_attention_heads", spelled("HF's num_attention_heads is 'heads N'")),
            Map.entry("num_hidden_layers", spelled("HF's num_hidden_layers is 'layers N'")),
            Map.entry("block_size", spelled("BigBird's block_size is 'block N'")),
            Map.entry("bias", spelled(scoreMods("FlexAttention's score biases"))),
            Map.entry("score_mod", spelled(scoreMods("FlexAttention's score_mod"))),
            Map.entry(
                    "attn_logit_softcapping",
                    new Advice(
                            DiagCode.E017,
                            n -> "Gemma 2's attn_logit_softcapping " + n + " is 'softcap " + n + ".0'",
                            "Gemma 2's attn_logit_softcapping C is 'softcap C'")),
            Map.entry("kv_heads", unsupported("grouped-query attention; give k and v one head per query head")),
            Map.entry(
                    "num_key_value_heads",
                    unsupported("grouped-query attention; give k and v one head per query head")),
            Map.entry("gqa", unsupported("grouped-query attention; give k and v one head per query head")),
            Map.entry("document", unsupported(documents())),
            Map.entry("documents", unsupported(documents())),
            Map.entry("segment", unsupported(documents())),
            Map.entry("segments", unsupported(documents())),
            Map.entry("segment_ids", unsupported(documents())));

    private ForeignWords() {}

    /** The advice for {@code word}, if it is one of the known words of other tools. */
    public static Optional<Advice> lookup(String word) {
        return Optional.ofNullable(WORDS.get(word));
    }

    private static String scoreMods(String what) {
        return "for " + what + ", attnc has the settings 'alibi' (or 'alibi [s0, s1, ...] per head'), 'softcap C'"
                + " and 'scale [s0, s1, ...] per head'; other score functions are not supported";
    }

    private static String documents() {
        return "document (segment) masking of packed sequences";
    }

    private static Advice spelled(String text) {
        return new Advice(DiagCode.E017, null, text);
    }

    private static Advice unsupported(String text) {
        return new Advice(DiagCode.E018, null, text);
    }
}
