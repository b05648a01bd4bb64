package dev.attnc.compiler.loops;

import java.util.List;

/**
 * The key sets of the loop IR: the pattern IR's set algebra with every parameter lowered to
 * an {@link Operand} and every global or random term bound to its slot. The emitter prints
 * each node twice: as a {@code KeyCover} (which key segments a row group visits, full or
 * partial) and as the pair test {@code mask(i, j)} used in partial chunks.
 */
public sealed interface Keys {

    record Window(Operand before, Operand after, Operand dilation) implements Keys {}

    record BlockWindow(int block, Operand before, Operand after) implements Keys {}

    record Causal() implements Keys {}

    record Full() implements Keys {}

    record Global(int slot) implements Keys {}

    record Random(int block, int slot) implements Keys {}

    record Union(List<Keys> terms) implements Keys {
        public Union {
            terms = List.copyOf(terms);
        }
    }

    record Intersect(Keys left, Keys right) implements Keys {}

    record Difference(Keys left, Keys right) implements Keys {}
}
