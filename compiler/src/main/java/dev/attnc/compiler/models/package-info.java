/**
 * Hugging Face models on compiled kernels: {@code ModelSpecs} writes each layer's attention as
 * {@code .attn} text from the model's config (what {@code attnc encode --print-spec} shows), and
 * {@code ModelKernels} compiles those specs (once per distinct text) for a backend and hands
 * them to the runtime's {@code HuggingFaceModel} as its {@code LayerKernels}.
 */
package dev.attnc.compiler.models;
