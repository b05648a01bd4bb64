/**
 * The loop IR: a pattern lowered with its schedule ({@code Lowering}) into a {@code KernelPlan}
 * — parameter slots, global and random-table slots, the key sets each row group visits
 * ({@code Keys}), the row stride — printed by {@code LoopPrinter} ({@code --dump=loops}). Both
 * emitters read the same plan. Every walk over the key sets is a {@code Keys.Visitor}: the
 * dump's and comments' text ({@code KeysText}), what a pair test reads ({@code KeyReads}), and
 * the emitters' own. May import {@code ir} and {@code schedule}; never an emitter.
 */
package dev.attnc.compiler.loops;
