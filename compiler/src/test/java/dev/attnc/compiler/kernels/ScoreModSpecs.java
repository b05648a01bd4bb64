package dev.attnc.compiler.kernels;

import java.util.List;

/**
 * The score-modifier patterns both kernel tests run ({@link ScoreModKernelsTest} on the Java
 * backend, {@link CudaEmulatedScoreModsTest} on the CUDA emulator), with the value scale of
 * their random q and k: large enough (4) that soft caps of 2 and 3 change most scores.
 */
final class ScoreModSpecs {

    private ScoreModSpecs() {}

    /** A pattern's name and the scale of its q, k values. */
    record Spec(String name, float valueScale) {}

    static final String SOURCE = """
            // ALiBi, Bloom's slopes from the run-time head count, on a causal sliding window.
            pattern alibi_window { head_dim 32  alibi  causal & window 40 before }
            // Explicit slopes on a dilated two-sided window with global tokens.
            pattern alibi_list {
              head_dim 16  heads 3
              alibi [0.5, 0.125, 0.03125] per head
              window 9 dilation 2 | global tokens [0] and from input
            }
            // Bloom's slopes for a fixed non-power-of-2 head count (5: 4 + 1 interleaved).
            pattern alibi_causal { head_dim 24  heads 5  alibi  causal }
            // Gemma 2's soft cap on dense attention.
            pattern softcap_full { head_dim 32  softcap 2.0  full }
            // Per-head scales with block windows and global blocks.
            pattern scale_heads {
              head_dim 16  heads 3  block 8
              scale [0.5, 0.25, 0.125] per head
              window 3 blocks | global first 1 block
            }
            // All three, with runtime globals (split-K blocks on CUDA, qg/kg/vg in Java).
            pattern all_three {
              head_dim 32  heads 6
              scale [0.3, 0.25, 0.2, 0.15, 0.1, 0.35] per head
              softcap 3.0
              alibi
              causal & window 30 before | global first 2 tokens and from input
            }
            """;

    static final List<Spec> SPECS = List.of(
            new Spec("alibi_window", 2f),
            new Spec("alibi_list", 2f),
            new Spec("alibi_causal", 2f),
            new Spec("softcap_full", 4f),
            new Spec("scale_heads", 3f),
            new Spec("all_three", 4f));
}
