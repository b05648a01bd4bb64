/**
 * Hugging Face model folders on attnc's kernels: {@code ModelConfig} (config.json),
 * {@code HuggingFaceModel} (weights by their real names into an {@code nn.Encoder}),
 * {@code ModelInputs}/{@code ModelOutputs}, and {@code LayerKernels}, through which the compiler
 * supplies each layer's kernels (the runtime never compiles).
 */
package dev.attnc.runtime.model;
