package dev.attnc.runtime.model;

/**
 * A model call's outputs, as Hugging Face names them.
 *
 * @param lastHiddenState {@code [batch, length, hidden]}
 * @param poolerOutput {@code [batch, hidden]}, or null when the checkpoint has no pooler
 */
public record ModelOutputs(int batch, int length, int hidden, float[] lastHiddenState, float[] poolerOutput) {}
