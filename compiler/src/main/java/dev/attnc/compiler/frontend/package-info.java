/**
 * The front end, one pass per class, run in the order {@code Pipeline} lists: read
 * ({@code SpecReader}), parse ({@code SpecParser} with {@code AstBuilder}, the only classes that
 * see ANTLR types), imports ({@code ImportLoader}), names ({@code NameResolver}), checks
 * ({@code PatternChecker} and its parts) and lowering to the pattern IR ({@code IrBuilder}).
 * May import {@code source}, {@code ast}, {@code diag}, {@code ir} and the generated grammar;
 * never the back end.
 */
package dev.attnc.compiler.frontend;
