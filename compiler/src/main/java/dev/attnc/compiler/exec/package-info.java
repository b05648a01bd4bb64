/**
 * Running a checked pattern: the {@link dev.attnc.compiler.exec.Backend} API ({@code java},
 * {@code cuda-emu}, {@code reference}, {@code cuda}) that takes named arrays and returns the
 * output, the binding of named arrays to the kernel API's inputs
 * ({@link dev.attnc.compiler.exec.KernelInputs}) and the run options. {@code attnc run} and
 * the encoder are its clients. May import the compiler's front and back ends ({@code ir},
 * {@code interp}, {@code emit}, {@code jit}, {@code cuda}, {@code Pipeline}) and the runtime;
 * nothing but {@code cli} imports it.
 */
package dev.attnc.compiler.exec;
