package dev.attnc.compiler.loops;

import dev.attnc.compiler.ir.Param;

/** A term parameter that varies with the layer or head, read once per (layer, head) into slot {@code index}. */
public record ParamSlot(int index, String role, Param param) {}
