/**
 * The {@code attnc} command line (picocli): one class per command mapping options onto the
 * library ({@code codegen}, {@code exec}, {@code inspect}), exit codes in {@code ExitCodes}.
 * The top floor: it may import every package, and nothing imports it.
 */
package dev.attnc.compiler.cli;
