package dev.attnc.compiler.emit;

import dev.attnc.compiler.loops.Keys;
import dev.attnc.compiler.loops.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The loop IR's key sets as text both emitters print: the pair test {@code mask(i, j)} as one
 * boolean expression (the same text is valid Java and CUDA C++: integer {@code /} and {@code %}
 * truncate alike, and a remainder is compared with 0 only), a one-line description for
 * comments, and the slots an expression reads. Locals it refers to: {@code pK} (parameter
 * slots), {@code gK} (global sets, {@code contains}), {@code rK} (random tables, {@code has}).
 */
public final class KeysText {

    private KeysText() {}

    static void uses(Keys k, TreeSet<Integer> slots, TreeSet<Integer> globals, TreeSet<Integer> randoms) {
        if (k instanceof Keys.Union u) {
            u.terms().forEach(t -> uses(t, slots, globals, randoms));
        } else if (k instanceof Keys.Intersect x) {
            uses(x.left(), slots, globals, randoms);
            uses(x.right(), slots, globals, randoms);
        } else if (k instanceof Keys.Difference x) {
            uses(x.left(), slots, globals, randoms);
            uses(x.right(), slots, globals, randoms);
        } else if (k instanceof Keys.Window w) {
            for (Operand o : List.of(w.before(), w.after(), w.dilation())) {
                if (o instanceof Operand.Slot s) {
                    slots.add(s.index());
                }
            }
        } else if (k instanceof Keys.BlockWindow w) {
            for (Operand o : List.of(w.before(), w.after())) {
                if (o instanceof Operand.Slot s) {
                    slots.add(s.index());
                }
            }
        } else if (k instanceof Keys.Global g) {
            globals.add(g.slot());
        } else if (k instanceof Keys.Random r) {
            randoms.add(r.slot());
        }
    }

    /** The pair test as printed in generated code (for loop dumps). */
    public static String maskText(Keys k) {
        return mask(k, true);
    }

    /** The pair test of {@code k} as one Java boolean expression over {@code i} and {@code j}. */
    static String mask(Keys k, boolean top) {
        String e;
        if (k instanceof Keys.Union u) {
            List<String> parts = new ArrayList<>();
            for (Keys t : u.terms()) {
                parts.add(mask(t, false));
            }
            e = String.join(" || ", parts);
        } else if (k instanceof Keys.Intersect x) {
            e = mask(x.left(), false) + " && " + mask(x.right(), false);
        } else if (k instanceof Keys.Difference x) {
            e = mask(x.left(), false) + " && !" + wrap(mask(x.right(), false));
        } else if (k instanceof Keys.Window w) {
            e = window(w);
        } else if (k instanceof Keys.BlockWindow w) {
            String qb = "i / " + w.block();
            String kb = "j / " + w.block();
            e = kb + " >= " + qb + minus(w.before()) + " && " + kb + " <= " + qb + plus(w.after());
        } else if (k instanceof Keys.Causal) {
            return "j <= i";
        } else if (k instanceof Keys.Full) {
            return "true";
        } else if (k instanceof Keys.Global g) {
            e = "g" + g.slot() + ".contains(i) || g" + g.slot() + ".contains(j)";
        } else {
            Keys.Random r = (Keys.Random) k;
            return "r" + r.slot() + ".has(i / " + r.block() + ", j / " + r.block() + ")";
        }
        return top ? e : wrap(e);
    }

    private static String wrap(String e) {
        return "(" + e + ")";
    }

    private static String window(Keys.Window w) {
        String before = w.dilation().isConst(1) ? neg(w.before()) : "-" + times(w.before(), w.dilation());
        String after = w.dilation().isConst(1) ? w.after().toString() : times(w.after(), w.dilation());
        String range = "j - i >= " + before + " && j - i <= " + after;
        return w.dilation().isConst(1) ? range : "(j - i) % " + w.dilation() + " == 0 && " + range;
    }

    private static String neg(Operand o) {
        return o instanceof Operand.Const c ? Integer.toString(-c.value()) : "-" + o;
    }

    private static String times(Operand a, Operand b) {
        if (a.isConst(0) || b.isConst(0)) {
            return "0";
        }
        if (a instanceof Operand.Const x && b instanceof Operand.Const y) {
            return Long.toString((long) x.value() * y.value());
        }
        return a + " * " + b;
    }

    private static String minus(Operand o) {
        return o.isConst(0) ? "" : " - " + o;
    }

    private static String plus(Operand o) {
        return o.isConst(0) ? "" : " + " + o;
    }

    /** A one-line reading of the key set, for comments. */
    static String describe(Keys k) {
        if (k instanceof Keys.Union u) {
            List<String> parts = new ArrayList<>();
            u.terms().forEach(t -> parts.add(describe(t)));
            return "(" + String.join(" | ", parts) + ")";
        } else if (k instanceof Keys.Intersect x) {
            return "(" + describe(x.left()) + " & " + describe(x.right()) + ")";
        } else if (k instanceof Keys.Difference x) {
            return "(" + describe(x.left()) + " - " + describe(x.right()) + ")";
        } else if (k instanceof Keys.Window w) {
            return "window " + w.before() + " before, " + w.after() + " after"
                    + (w.dilation().isConst(1) ? "" : ", dilation " + w.dilation());
        } else if (k instanceof Keys.BlockWindow w) {
            return "block window " + w.before() + " before, " + w.after() + " after (block " + w.block() + ")";
        } else if (k instanceof Keys.Causal) {
            return "causal";
        } else if (k instanceof Keys.Full) {
            return "full";
        } else if (k instanceof Keys.Global g) {
            return "global set g" + g.slot();
        }
        Keys.Random r = (Keys.Random) k;
        return "random blocks r" + r.slot() + " (block " + r.block() + ")";
    }

}
