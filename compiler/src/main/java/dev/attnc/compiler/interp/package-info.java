/**
 * The semantic oracle of the tests: {@code MaskInterpreter} evaluates a pattern from its
 * <em>AST</em> into a dense mask for small n, sharing no code with the IR builder, the analysis
 * or the emitters, and {@code ReferenceAttention} runs the runtime dense reference on it. May
 * import {@code ast}, {@code frontend}, {@code ir} and the runtime references.
 */
package dev.attnc.compiler.interp;
