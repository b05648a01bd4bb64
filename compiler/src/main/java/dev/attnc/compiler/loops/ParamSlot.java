package dev.attnc.compiler.loops;

import dev.attnc.compiler.ir.Param;

/**
 * A term parameter that varies with the layer or head, read once per (layer, head) into slot
 * {@code index}; or, when {@code prefixInput}, the run-time prefix length {@code prefix_len[b]}
 * of the batch item (the {@code from input} of a keys or queries set; {@code param} is then
 * unused, 0).
 */
public record ParamSlot(int index, String role, Param param, boolean prefixInput) {

    /** A parameter slot read per (layer, head). */
    public ParamSlot(int index, String role, Param param) {
        this(index, role, param, false);
    }

    /** The slot of the run-time prefix length {@code prefix_len[b]}. */
    public static ParamSlot prefix(int index) {
        return new ParamSlot(index, "prefix length", Param.of(0), true);
    }

    /** What the slot holds, for dumps and comments: the parameter, or {@code prefix_len[b]}. */
    public String source() {
        return prefixInput ? "prefix_len[b]" : param.toString();
    }
}
