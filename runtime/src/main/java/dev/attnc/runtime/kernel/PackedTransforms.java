package dev.attnc.runtime.kernel;

import dev.attnc.runtime.nn.Linear;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The additive kernels' output transforms {@code W_r, b_r} packed for the runtime's GEMM
 * ({@link Linear}), once per distinct {@code W_r} array: a call finds the packing by the
 * array's identity, so the same weights passed call after call are packed once. An entry keeps
 * a copy of the arrays' contents and is used only while they are unchanged (a comparison of
 * {@code E² + E} floats, small next to the {@code n·E²} product), so writing new weights into
 * the same array is safe. Entries go when their {@code W_r} array is garbage; thread-safe.
 */
final class PackedTransforms {

    /** Keyed by identity: arrays inherit {@code Object}'s {@code equals} and {@code hashCode}. */
    private static final Map<float[], Entry> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private record Entry(float[] wr, float[] br, Linear linear) {}

    private PackedTransforms() {}

    /** {@code u ↦ W_r u + b_r} for {@code W_r [e, e]} and {@code b_r [e]}. */
    static Linear of(float[] wr, float[] br, int e) {
        Entry entry = CACHE.get(wr);
        if (entry != null && Arrays.equals(entry.wr, wr) && Arrays.equals(entry.br, br)) {
            return entry.linear;
        }
        Entry fresh = new Entry(wr.clone(), br.clone(), Linear.fromTorch(wr, br, e, e));
        CACHE.put(wr, fresh);
        return fresh.linear;
    }
}
