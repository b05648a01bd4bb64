package dev.attnc.compiler.loops;

/** An integer in generated code: a constant folded in, or a parameter slot read per (layer, head). */
public sealed interface Operand {

    record Const(int value) implements Operand {
        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    record Slot(int index) implements Operand {
        @Override
        public String toString() {
            return "p" + index;
        }
    }

    default boolean isConst(int v) {
        return this instanceof Const c && c.value() == v;
    }
}
