package dev.attnc.compiler.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tuning choice of a generated Java kernel, so that nothing about <em>how</em> a
 * pattern runs is hidden in the emitter or the engine:
 *
 * @param queryTile  query rows per row group (each loaded key chunk serves all of them)
 * @param keyTile    keys per chunk (K of a chunk serves every row of the group; a chunk's softmax step is one pass)
 * @param grain      query tiles per parallel task
 * @param rows       query rows per register block of the generated micro-kernel (scores, softmax, {@code P·V})
 * @param vectors    vectors per register block: of keys for the scores, of head-dim columns for {@code P·V};
 *                   {@code rows × vectors} accumulators live in registers
 * @param vectorBits the width of the micro-kernel's vectors (its species, a constant in the generated code):
 *                   64, 128, 256 or 512
 *
 * Printed (loop IR dumps, generated Javadoc) and overridden ({@link #with}) as
 * {@code qtile=64 ktile=64 grain=2 rows=6 vecs=2 bits=256}.
 */
public record Schedule(int queryTile, int keyTile, int grain, int rows, int vectors, int vectorBits) {

    /** At most this many accumulators ({@code rows × vectors}) per register block. */
    public static final int MAX_ACCUMULATORS = 32;

    public Schedule {
        check("qtile", queryTile, 1, 1024);
        check("ktile", keyTile, 1, 1024);
        check("grain", grain, 1, 1 << 20);
        check("rows", rows, 1, 16);
        check("vecs", vectors, 1, 8);
        if (vectorBits != 64 && vectorBits != 128 && vectorBits != 256 && vectorBits != 512) {
            throw new IllegalArgumentException("schedule bits=" + vectorBits + " is not 64, 128, 256 or 512");
        }
        if (rows * vectors > MAX_ACCUMULATORS) {
            throw new IllegalArgumentException("schedule rows=" + rows + ",vecs=" + vectors + " needs " + rows * vectors
                    + " accumulators; at most " + MAX_ACCUMULATORS);
        }
    }

    private static void check(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("schedule " + name + "=" + v + " is outside " + lo + ".." + hi);
        }
    }

    /** Floats per vector: {@code vectorBits / 32}. */
    public int lanes() {
        return vectorBits / 32;
    }

    /** Keys per register block of the scores, and per K panel: {@code vectors × lanes}. */
    public int blockKeys() {
        return vectors * lanes();
    }

    /**
     * This schedule with overrides written {@code qtile=64,ktile=32,grain=4,rows=8,vecs=2,bits=512}
     * (any subset, any order). Unknown keys and bad numbers are refused with a message that
     * names them.
     */
    public Schedule with(String overrides) {
        Map<String, Integer> v = values();
        v.putAll(parse(overrides));
        return new Schedule(
                v.get("qtile"), v.get("ktile"), v.get("grain"), v.get("rows"), v.get("vecs"), v.get("bits"));
    }

    /** The vector width {@code overrides} ask for ({@code bits=…}), or {@code otherwise}. */
    public static int bitsOf(String overrides, int otherwise) {
        return parse(overrides).getOrDefault("bits", otherwise);
    }

    /** Whether {@code overrides} say anything (null and blank say nothing). */
    public static boolean given(String overrides) {
        return overrides != null && !overrides.isBlank();
    }

    private Map<String, Integer> values() {
        Map<String, Integer> v = new LinkedHashMap<>();
        v.put("qtile", queryTile);
        v.put("ktile", keyTile);
        v.put("grain", grain);
        v.put("rows", rows);
        v.put("vecs", vectors);
        v.put("bits", vectorBits);
        return v;
    }

    private static Map<String, Integer> parse(String overrides) {
        Map<String, Integer> v = new LinkedHashMap<>();
        if (!given(overrides)) {
            return v;
        }
        for (String part : overrides.split(",")) {
            String[] kv = part.trim().split("=", 2);
            String key = kv[0].trim();
            if (kv.length != 2 || !KEYS.contains(key)) {
                throw new IllegalArgumentException("schedule override '" + part.trim()
                        + "' is not KEY=VALUE with KEY one of qtile, ktile, grain, rows, vecs, bits");
            }
            try {
                v.put(key, Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "schedule override '" + part.trim() + "': '" + kv[1].trim() + "' is not an integer");
            }
        }
        return v;
    }

    private static final java.util.List<String> KEYS =
            java.util.List.of("qtile", "ktile", "grain", "rows", "vecs", "bits");

    /**
     * Checks overrides as {@link #with} reads them, before any pattern is scheduled: the keys,
     * the numbers and their ranges do not depend on the pattern.
     *
     * @throws IllegalArgumentException with the message {@link #with} would give
     */
    public static void checkOverrides(String overrides) {
        new Schedule(1, 1, 1, 1, 1, bitsOf(overrides, 128)).with(overrides);
    }

    /** The overrides that give this schedule whatever the defaults: every field, in {@link #with}'s syntax. */
    public String overrides() {
        return "qtile=" + queryTile + ",ktile=" + keyTile + ",grain=" + grain + ",rows=" + rows + ",vecs=" + vectors
                + ",bits=" + vectorBits;
    }

    @Override
    public String toString() {
        return "qtile=" + queryTile + " ktile=" + keyTile + " grain=" + grain + " rows=" + rows + " vecs=" + vectors
                + " bits=" + vectorBits;
    }
}
