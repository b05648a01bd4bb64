/**
 * The pattern IR: what a checked pattern means, as immutable records with a printer
 * ({@code IrPrinter}, {@code attnc check --dump-ir}) — the attention kind (softmax or additive),
 * the mask as a set-algebra expression ({@code MaskExpr}) over windows, globals, blocks, random
 * blocks and causality, walked by a {@code MaskExpr.Visitor} or reduced by a
 * {@code MaskExpr.Fold} (the block sizes: {@code MaskBlocks}) — and the per-head / per-layer
 * parameters. Imports nothing else of attnc but the one element-type enum the
 * emitters and the runtime share ({@code runtime.cuda.CudaDtype}); every later stage starts
 * from it.
 */
package dev.attnc.compiler.ir;
