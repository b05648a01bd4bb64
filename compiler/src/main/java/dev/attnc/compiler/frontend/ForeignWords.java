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
            Map.entry(
                    "relative_attention_bias",
                    unsupported("T5's bucketed relative position biases; the score modifiers are 'alibi', 'softcap C'"
                            + " and 'scale [..] per head'")),
            Map.entry(
                    "rope", unsupported("rotary embeddings inside the kernel: apply RoPE to q and k before the call")),
            Map.entry(
                    "rotary",
                    unsupported("rotary embeddings inside the kernel: apply RoPE to q and k before the call")),
            Map.entry("dropout", unsupported("attention dropout: the kernels compute inference attention")),
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
            Map.entry(
                    "num_key_value_heads",
                    new Advice(
                            DiagCode.E017,
                            n -> "HF's num_key_value_heads " + n + " is 'kv_heads " + n + "'",
                            "HF's num_key_value_heads is 'kv_heads G'")),
            Map.entry(
                    "gqa", spelled("grouped-query attention is 'kv_heads G' (query head h reads kv head h / (H / G))")),
            Map.entry(
                    "enable_gqa",
                    spelled("FlexAttention's enable_gqa is 'kv_heads G' (or nothing: k and v with G heads dividing H "
                            + "are accepted as they are)")),
            Map.entry("document", spelled(documents())),
            Map.entry("documents", spelled(documents())),
            Map.entry("segment", spelled(documents())),
            Map.entry("segment_ids", spelled(documents())),
            Map.entry("prefix_lm", spelled(prefixLm())),
            Map.entry("prefix", spelled(prefixLm())),
            Map.entry(
                    "prefix_len",
                    spelled("FlexAttention's kv_idx < prefix_len[b] is 'keys from input' (the run-time prefix_len"
                            + " input); a prefix LM is 'causal | keys from input & queries from input'")),
            Map.entry("sink", sinks()),
            Map.entry("sinks", sinks()),
            Map.entry("attention_sinks", sinks()),
            Map.entry("sink_tokens", sinks()));

    private ForeignWords() {}

    /** The advice for {@code word}, if it is one of the known words of other tools. */
    public static Optional<Advice> lookup(String word) {
        return Optional.ofNullable(WORDS.get(word));
    }

    private static String prefixLm() {
        return "a prefix LM (bidirectional over the first P tokens, causal after) is 'causal | keys [0..P-1] &"
                + " queries [0..P-1]', or with a run-time prefix 'causal | keys from input & queries from input'";
    }

    private static Advice sinks() {
        return new Advice(
                DiagCode.E017,
                n -> "attention sinks are keys every query attends: write 'causal & (window W before | keys [0.."
                        + Math.max(0, n - 1) + "])'",
                "attention sinks are keys every query attends: write 'causal & (window W before | keys [0..S-1])'");
    }

    private static String scoreMods(String what) {
        return "for " + what + ", attnc has the settings 'alibi' (or 'alibi [s0, s1, ...] per head'), 'softcap C'"
                + " and 'scale [s0, s1, ...] per head'; other score functions are not supported";
    }

    private static String documents() {
        return "document masking of packed sequences is 'segments from input' (ids in the run-time input "
                + "segment_ids [B, L]); intersect it with the pattern: 'causal & segments from input'";
    }

    private static Advice spelled(String text) {
        return new Advice(DiagCode.E017, null, text);
    }

    private static Advice unsupported(String text) {
        return new Advice(DiagCode.E018, null, text);
    }
}
