/**
 * Transformer building blocks for inference on the CPU: {@code Linear} (a packed, blocked,
 * multithreaded fp32 matrix multiply on the Vector API), layer norms, activations, embeddings,
 * the attention layers around {@code AttentionKernel} and {@code AdditiveKernel}, encoder layers
 * and stacks, poolers.
 */
package dev.attnc.runtime.nn;
