package dev.attnc.compiler.models;

import dev.attnc.runtime.model.LayerKernels.Role;
import dev.attnc.runtime.model.ModelConfig;
import dev.attnc.runtime.model.ModelFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attention of each layer of a model, as {@code .attn} spec text made from its config:
 * <ul>
 *   <li>Longformer layer {@code l}: {@code window w each side} with {@code w = attention_window[l]
 *       / 2}, and {@code global from input} (the {@code global_attention_mask}); the layer passes
 *       the {@code *_global} projections to the kernel.
 *   <li>BigBird ({@code block_sparse}): {@code block B}, {@code window 3 blocks}, {@code global
 *       first 1 block, last 1 block}, and {@code random r blocks per row, seed 42} (attnc's
 *       generator, per layer) or {@code random blocks from input} (a given {@code random_layout});
 *       {@code full} for {@code original_full} and for lengths Hugging Face runs densely.
 *   <li>Fastformer: {@code additive}.
 * </ul>
 * Equal texts are one pattern (Longformer layers with the same window share a kernel).
 */
public final class ModelSpecs {

    /** The seed of attnc's random blocks for BigBird models (docs/MODELS.md). */
    public static final int BIGBIRD_SEED = 42;

    private ModelSpecs() {}

    /** One pattern: its name and the spec text that defines it. */
    public record Spec(String pattern, String text) {}

    /** The spec of {@code layer}'s attention in {@code role} (softmax families) or the additive one. */
    public static Spec of(ModelConfig c, int layer, Role role) {
        int d = c.headDim();
        int h = c.numHeads();
        String head = "  head_dim " + d + "\n  heads " + h + "\n";
        switch (c.family()) {
            case LONGFORMER: {
                int w = c.oneSidedWindow(layer);
                String name = "longformer_h" + h + "_d" + d + "_w" + w;
                return new Spec(
                        name,
                        "// Longformer layer attention: attention_window " + c.attentionWindow()[layer]
                                + " (one side " + w + "), global tokens from global_attention_mask\npattern " + name
                                + " {\n"
                                + head + "  window " + w + " each side\n  global from input\n}\n");
            }
            case BIG_BIRD: {
                if (role == Role.FULL) {
                    String name = "full_h" + h + "_d" + d;
                    return new Spec(
                            name,
                            "// BigBird original_full (and block_sparse at short lengths)\npattern " + name + " {\n"
                                    + head + "  full\n}\n");
                }
                int b = c.blockSize();
                int r = c.numRandomBlocks();
                boolean given = role == Role.PATTERN_GIVEN_LAYOUT;
                String name = "bigbird_h" + h + "_d" + d + "_b" + b + "_r" + r + (given ? "_layout" : "");
                String random = r == 0
                        ? ""
                        : given
                                ? "  random blocks from input\n"
                                : "  random " + r + " blocks per row, seed " + BIGBIRD_SEED + "\n";
                String layers = given || r == 0 ? "" : "  layers " + c.numLayers() + "\n";
                return new Spec(
                        name,
                        "// BigBird ITC block_sparse: block_size " + b + ", num_random_blocks " + r
                                + (given ? " (random_layout given as input)" : "") + "\npattern " + name + " {\n" + head
                                + layers + "  block " + b
                                + "\n  window 3 blocks\n  global first 1 block, last 1 block\n"
                                + random + "}\n");
            }
            case FASTFORMER: {
                String name = "fastformer_h" + h + "_d" + d;
                return new Spec(
                        name,
                        "// Fastformer additive attention (wuch15/Fastformer)\npattern " + name + " {\n" + head
                                + "  additive\n}\n");
            }
            default:
                throw new AssertionError(c.family());
        }
    }

    /** The roles a model's layers use: what {@code --print-spec} shows, and what loading compiles. */
    public static List<Role> roles(ModelConfig c) {
        if (c.family() != ModelFamily.BIG_BIRD) {
            return List.of(Role.PATTERN);
        }
        return c.blockSparse() ? List.of(Role.PATTERN, Role.PATTERN_GIVEN_LAYOUT, Role.FULL) : List.of(Role.FULL);
    }

    /** Every distinct spec of the model with the layers that use it, in layer order. */
    public static Map<Spec, List<String>> all(ModelConfig c) {
        Map<Spec, List<String>> out = new LinkedHashMap<>();
        for (Role role : roles(c)) {
            for (int l = 0; l < c.numLayers(); l++) {
                out.computeIfAbsent(of(c, l, role), k -> new ArrayList<>())
                        .add(l
                                + (role == Role.PATTERN
                                        ? ""
                                        : " (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")"));
            }
        }
        return out;
    }

    /** The text {@code --print-spec} prints: every distinct spec, with the layers that use it. */
    public static String describe(ModelConfig c) {
        StringBuilder b = new StringBuilder("// attnc specs for " + c + "\n");
        for (Map.Entry<Spec, List<String>> e : all(c).entrySet()) {
            b.append("\n// layers ")
                    .append(String.join(", ", e.getValue()))
                    .append('\n')
                    .append(e.getKey().text());
        }
        return b.toString();
    }
}
