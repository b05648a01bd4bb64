package dev.attnc.compiler.loops;

/**
 * An integer in generated code: a constant folded in, or a parameter slot read per (layer, head).
 * Its text ({@link #toString}) is the constant or the local {@code pK} the pair test reads.
 */
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

    /** The text of {@code -o}: a constant negated, a slot as {@code -pK}. */
    static String negated(Operand o) {
        return o instanceof Const c ? Integer.toString(-c.value()) : "-" + o;
    }

    /** The text of {@code a * b}: {@code 0} when either is 0, the product when both are constants. */
    static String product(Operand a, Operand b) {
        if (a.isConst(0) || b.isConst(0)) {
            return "0";
        }
        if (a instanceof Const x && b instanceof Const y) {
            return Long.toString((long) x.value() * y.value());
        }
        return a + " * " + b;
    }
}
