package dev.attnc.runtime.cuda;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.lang.ref.SoftReference;
import java.util.Objects;

/**
 * The inputs of a {@link CudaAttentionKernel} call whose tensors already live on the device:
 * q, k, v (and optionally the separate global projections qg, kg, vg) as
 * {@link DeviceBuffer}s in the kernel's {@link CudaDtype}, plus {@code host}, whose metadata
 * the host side needs — shape, layout, layer, global mask, key-valid mask, random layout.
 * The float arrays of {@code host} are not read.
 *
 * <p>Guarantees: q, k, v are present and qg, kg, vg are all given or all null (checked when
 * built); buffer sizes are checked against the shape and dtype by the kernel, per call.
 */
public record DeviceInputs(
        AttentionInputs host,
        DeviceBuffer q,
        DeviceBuffer k,
        DeviceBuffer v,
        DeviceBuffer qg,
        DeviceBuffer kg,
        DeviceBuffer vg) {

    private static volatile SoftReference<float[]> placeholder = new SoftReference<>(null);

    public DeviceInputs {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(k, "k");
        Objects.requireNonNull(v, "v");
        int given = (qg != null ? 1 : 0) + (kg != null ? 1 : 0) + (vg != null ? 1 : 0);
        if (given != 0 && given != 3) {
            throw new IllegalArgumentException("qg, kg, vg: give all three separate global projections or none");
        }
    }

    /** Inputs without separate global projections. */
    public static DeviceInputs of(AttentionInputs host, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v) {
        return new DeviceInputs(host, q, k, v, null, null, null);
    }

    /** True when qg, kg, vg were given. */
    public boolean hasGlobalProjections() {
        return qg != null;
    }

    /**
     * A builder for {@code host} when the tensors exist only on the device: q, k, v are set to
     * one shared zero placeholder of the shape's size (reused between calls of the same size),
     * so only masks, layer and random layout remain to be given.
     */
    public static AttentionInputs.Builder metadata(AttentionShape shape, TensorLayout layout) {
        float[] p = placeholder.get();
        if (p == null || p.length != shape.elements()) {
            p = new float[shape.elements()];
            placeholder = new SoftReference<>(p);
        }
        if (shape.kvHeads() == shape.heads()) {
            return AttentionInputs.builder(shape, layout).qkv(p, p, p);
        }
        float[] kv = new float[shape.kvShape().elements()]; // grouped-query attention: k, v are smaller
        return AttentionInputs.builder(shape, layout).qkv(p, kv, kv);
    }
}
