package dev.attnc.compiler.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tuning choice of a generated Java kernel, so that nothing about <em>how</em> a
 * pattern runs is hidden in the emitter:
 *
 * @param queryTile query rows per row group (each loaded key chunk serves all of them)
 * @param keyTile   keys per chunk (K of a chunk serves every row of the group; a chunk's softmax step is one pass)
 * @param grain     query tiles per parallel task
 *
 * The register block (6 query rows × 2 vectors of keys for scores, 6 rows × 2 vectors of the
 * head dim for {@code P·V}) and the vector width ({@code SPECIES_PREFERRED}, or
 * {@code -Dattnc.vector.bits}) are fixed by the engine, {@code dev.attnc.runtime.kernel}, because
 * the Vector API compiles to SIMD only for constant species and unrolled accumulators.
 */
public record Schedule(int queryTile, int keyTile, int grain) {

    /** Register-block rows of the engine (printed in loop dumps). */
    public static final int REGISTER_ROWS = 6;

    public Schedule {
        check("qtile", queryTile, 1, 1024);
        check("ktile", keyTile, 1, 1024);
        check("grain", grain, 1, 1 << 20);
    }

    private static void check(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("schedule " + name + "=" + v + " is outside " + lo + ".." + hi);
        }
    }

    /**
     * This schedule with overrides written {@code qtile=64,ktile=32,grain=4} (any subset, any
     * order). Unknown keys and bad numbers are refused with a message that names them.
     */
    public Schedule with(String overrides) {
        Map<String, Integer> v = new LinkedHashMap<>();
        v.put("qtile", queryTile);
        v.put("ktile", keyTile);
        v.put("grain", grain);
        if (overrides != null && !overrides.isBlank()) {
            for (String part : overrides.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length != 2 || !v.containsKey(kv[0].trim())) {
                    throw new IllegalArgumentException("schedule override '" + part.trim()
                            + "' is not KEY=VALUE with KEY one of qtile, ktile, grain");
                }
                try {
                    v.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "schedule override '" + part.trim() + "': '" + kv[1].trim() + "' is not an integer");
                }
            }
        }
        return new Schedule(v.get("qtile"), v.get("ktile"), v.get("grain"));
    }

    /**
     * Checks overrides as {@link #with} reads them, before any pattern is scheduled: the keys,
     * the numbers and their ranges do not depend on the pattern.
     *
     * @throws IllegalArgumentException with the message {@link #with} would give
     */
    public static void checkOverrides(String overrides) {
        new Schedule(1, 1, 1).with(overrides);
    }

    @Override
    public String toString() {
        return "qtile=" + queryTile + " ktile=" + keyTile + " grain=" + grain + " rows=" + REGISTER_ROWS;
    }
}
