/**
 * Compiling generated Java in memory: {@code InMemoryJavaCompiler} (javac through
 * {@code javax.tools}) and {@code KernelCompiler}, which runs the pipeline on spec text and
 * returns a ready kernel — the path of notebooks, jshell and the {@code java} backend of {@code exec}; {@code binding}
 * instantiates a pattern's host side alone (no Java engine).
 * May import the pipeline, {@code emit} and the runtime.
 */
package dev.attnc.compiler.jit;
