package dev.attnc.compiler.kernels;

import java.util.Random;

/**
 * The random-spec generator of {@link RandomSpecKernelProperties} (Java kernels) and
 * {@link RandomSpecCudaEmulationTest} (emulated CUDA kernels): one pattern {@code p} over the
 * whole mask language. {@link #randomSpec(Random, int)} is the Java property's generator,
 * unchanged (same draws from {@code rnd}, so the property's seed keeps its meaning);
 * {@link #randomSpec(Random, int, int, int)} additionally takes the head dim and a layer
 * count, and with {@code layers > 1} also draws per-layer lists and {@code in layers}
 * overrides. Not every spec compiles (an override needs exactly one term of its kind):
 * callers skip those.
 */
final class RandomSpecs {

    private final Random rnd;
    private final int heads;
    private final int layers;

    private RandomSpecs(Random rnd, int heads, int layers) {
        this.rnd = rnd;
        this.heads = heads;
        this.layers = layers;
    }

    /** head_dim 16 or 32, no layers: the Java property's specs. */
    static String randomSpec(Random rnd, int heads) {
        return new RandomSpecs(rnd, heads, 1).spec(-1);
    }

    /** A spec with the given head dim; {@code layers > 1} declares them and draws per-layer values too. */
    static String randomSpec(Random rnd, int heads, int layers, int headDim) {
        return new RandomSpecs(rnd, heads, layers).spec(headDim);
    }

    /**
     * {@code spec} with score modifiers added in about a quarter of the draws of {@code rnd} (its
     * own generator, so the spec's other draws do not change): any of {@code alibi} (Bloom's
     * slopes or a per-head list), {@code softcap C} with {@code C} in 1..4 (small enough that the
     * cap matters on the property's inputs) and {@code scale [..] per head}.
     */
    static String withScoreMods(String spec, Random rnd, int heads) {
        if (rnd.nextInt(4) != 0) {
            return spec;
        }
        StringBuilder mods = new StringBuilder();
        if (rnd.nextBoolean()) {
            mods.append("  alibi");
            if (rnd.nextBoolean()) {
                mods.append(' ').append(perHead(rnd, heads, 0.01, 1.0));
            }
            mods.append('\n');
        }
        if (rnd.nextBoolean()) {
            mods.append("  softcap ").append(1 + rnd.nextInt(4)).append(".0\n");
        }
        if (mods.length() == 0 || rnd.nextBoolean()) {
            mods.append("  scale ").append(perHead(rnd, heads, 0.05, 0.6)).append('\n');
        }
        int end = spec.lastIndexOf('}');
        return spec.substring(0, end) + mods + spec.substring(end);
    }

    private static String perHead(Random rnd, int heads, double lo, double hi) {
        StringBuilder b = new StringBuilder("[");
        for (int h = 0; h < heads; h++) {
            b.append(h > 0 ? ", " : "")
                    .append(String.format(java.util.Locale.ROOT, "%.4f", lo + rnd.nextDouble() * (hi - lo)));
        }
        return b.append("] per head").toString();
    }

    private String spec(int headDim) {
        int block = 1 + rnd.nextInt(20);
        int d = headDim > 0 ? headDim : rnd.nextBoolean() ? 16 : 32;
        StringBuilder sb = new StringBuilder("pattern p {\n  head_dim ")
                .append(d)
                .append("\n  heads ")
                .append(heads);
        if (layers > 1) {
            sb.append("\n  layers ").append(layers);
        }
        sb.append("\n  block ").append(block).append('\n');
        sb.append("  ").append(expr(0)).append('\n');
        if (rnd.nextInt(4) == 0) {
            sb.append("  ").append(expr(1)).append('\n');
        }
        if (rnd.nextInt(5) == 0) {
            sb.append("  dilation ").append(1 + rnd.nextInt(3)).append(" on heads 0");
            if (layers > 1 && rnd.nextBoolean()) {
                sb.append(" in layers ").append(rnd.nextInt(layers));
            }
            sb.append('\n');
        }
        if (layers > 1 && rnd.nextInt(4) == 0) {
            sb.append("  window ")
                    .append(size())
                    .append(" before in layers ")
                    .append(rnd.nextInt(layers))
                    .append('\n');
        }
        return sb.append("}\n").toString();
    }

    private String expr(int depth) {
        if (depth < 3 && rnd.nextInt(3) > 0) {
            String op = switch (rnd.nextInt(3)) {
                case 0 -> " | ";
                case 1 -> " & ";
                default -> " - ";
            };
            return "(" + expr(depth + 1) + op + expr(depth + 1) + ")";
        }
        return term();
    }

    private String term() {
        switch (rnd.nextInt(10)) {
            case 0:
            case 1: {
                String amount = heads > 1 && rnd.nextInt(4) == 0
                        ? perHead(6)
                        : layers > 1 && rnd.nextInt(3) == 0 ? perLayer(0, 40) : Integer.toString(size());
                String sides = switch (rnd.nextInt(4)) {
                    case 0 -> "";
                    case 1 -> " before";
                    case 2 -> " after";
                    default -> " before, " + size() + " after";
                };
                String dil = rnd.nextInt(3) == 0 ? " dilation " + (2 + rnd.nextInt(2)) : "";
                return "window " + amount + sides + dil;
            }
            case 2:
                return switch (rnd.nextInt(3)) {
                    case 0 -> "window " + (1 + 2 * rnd.nextInt(2)) + " blocks";
                    case 1 -> "window " + rnd.nextInt(2) + " blocks before";
                    default -> "window 1 block after";
                };
            case 3:
                return "causal";
            case 4:
                return rnd.nextInt(3) == 0 ? "full" : "causal";
            case 5:
                return "global tokens [" + rnd.nextInt(5) + ", " + (-1 - rnd.nextInt(3)) + "]";
            case 6:
                return switch (rnd.nextInt(4)) {
                    case 0 -> "global first " + (1 + rnd.nextInt(3)) + " tokens, last 1 token";
                    case 1 ->
                        layers > 1 && rnd.nextBoolean()
                                ? "global first " + perLayer(1, 3) + " blocks"
                                : "global first 1 block, last 1 block";
                    case 2 -> "global blocks [0, -1]";
                    default -> "global from input";
                };
            case 7:
                return "global tokens [" + rnd.nextInt(4) + "] and from input";
            case 8:
                return "random "
                        + (layers > 1 && rnd.nextBoolean()
                                ? perLayer(0, 3) + " blocks"
                                : rnd.nextInt(3) + " blocks per row")
                        + ", seed " + rnd.nextInt(1000);
            default:
                return "random blocks from input";
        }
    }

    /** Small windows (every tile partial) and wide ones (tiles with a full interior). */
    private int size() {
        return rnd.nextBoolean() ? rnd.nextInt(9) : 10 + rnd.nextInt(60);
    }

    private String perHead(int max) {
        StringBuilder sb = new StringBuilder("[");
        for (int h = 0; h < heads; h++) {
            sb.append(h > 0 ? ", " : "").append(rnd.nextInt(max));
        }
        return sb.append("] per head").toString();
    }

    /** Values in [min, max). */
    private String perLayer(int min, int max) {
        StringBuilder sb = new StringBuilder("[");
        for (int l = 0; l < layers; l++) {
            sb.append(l > 0 ? ", " : "").append(min + rnd.nextInt(max - min));
        }
        return sb.append("] per layer").toString();
    }
}
