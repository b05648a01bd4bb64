package dev.attnc.compiler.loops;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop IR's key sets as text, for the loop dump ({@link LoopPrinter}) and for the comments
 * of generated code, each a {@link Keys.Visitor}: {@link #describe} (one line for a comment),
 * {@link #cover} (the cover as the dump writes it) and {@link #mask} (the pair test
 * {@code mask(i, j)} as the dump writes it: the text the emitters' own visitors print, with the
 * locals {@code pK}, {@code gK} and {@code rK} of the slots it reads, and {@code seg}, the segments).
 */
public final class KeysText {

    private KeysText() {}

    /** A one-line reading of the key set, for comments: {@code (window 256 before, 256 after | global set g0)}. */
    public static String describe(Keys k) {
        return k.accept(DESCRIBE);
    }

    /** The cover as the loop dump writes it: {@code union(window(256, 256), global(g0))}. */
    public static String cover(Keys k) {
        return k.accept(COVER);
    }

    /** The pair test as one boolean expression over {@code i} and {@code j}. */
    public static String mask(Keys k) {
        return k.accept(MASK_TOP);
    }

    private static final Keys.Visitor<String> DESCRIBE = new Keys.Visitor<>() {
        @Override
        public String window(Keys.Window w) {
            return "window " + w.before() + " before, " + w.after() + " after"
                    + (w.dilation().isConst(1) ? "" : ", dilation " + w.dilation());
        }

        @Override
        public String blockWindow(Keys.BlockWindow w) {
            return "block window " + w.before() + " before, " + w.after() + " after (block " + w.block() + ")";
        }

        @Override
        public String causal(Keys.Causal c) {
            return "causal";
        }

        @Override
        public String full(Keys.Full f) {
            return "full";
        }

        @Override
        public String global(Keys.Global g) {
            return "global set g" + g.slot();
        }

        @Override
        public String random(Keys.Random r) {
            return "random blocks r" + r.slot() + " (block " + r.block() + ")";
        }

        @Override
        public String segments(Keys.Segments s) {
            return "same segment";
        }

        @Override
        public String union(Keys.Union u) {
            return "(" + join(u.terms(), this, " | ") + ")";
        }

        @Override
        public String intersect(Keys.Intersect x) {
            return "(" + x.left().accept(this) + " & " + x.right().accept(this) + ")";
        }

        @Override
        public String difference(Keys.Difference x) {
            return "(" + x.left().accept(this) + " - " + x.right().accept(this) + ")";
        }

        @Override
        public String tokenRange(Keys.TokenRange r) {
            return r.word() + " " + r.lo() + " .. " + last(r.hi());
        }
    };

    private static final Keys.Visitor<String> COVER = new Keys.Visitor<>() {
        @Override
        public String window(Keys.Window w) {
            return "window(" + w.before() + ", " + w.after()
                    + (w.dilation().isConst(1) ? "" : ", dilation " + w.dilation()) + ")";
        }

        @Override
        public String blockWindow(Keys.BlockWindow w) {
            return "block_window(" + w.block() + ": " + w.before() + ", " + w.after() + ")";
        }

        @Override
        public String causal(Keys.Causal c) {
            return "causal";
        }

        @Override
        public String full(Keys.Full f) {
            return "all";
        }

        @Override
        public String global(Keys.Global g) {
            return "global(g" + g.slot() + ")";
        }

        @Override
        public String random(Keys.Random r) {
            return "random(" + r.block() + ": r" + r.slot() + ")";
        }

        @Override
        public String segments(Keys.Segments s) {
            return "segments";
        }

        @Override
        public String union(Keys.Union u) {
            return "union(" + join(u.terms(), this, ", ") + ")";
        }

        @Override
        public String intersect(Keys.Intersect x) {
            return "intersect(" + x.left().accept(this) + ", " + x.right().accept(this) + ")";
        }

        @Override
        public String difference(Keys.Difference x) {
            return "difference(" + x.left().accept(this) + ", " + x.right().accept(this) + ")";
        }

        @Override
        public String tokenRange(Keys.TokenRange r) {
            return (r.queries() ? "query_range(" : "key_range(") + r.lo() + ", " + r.hi() + ")";
        }
    };

    private static final Keys.Visitor<String> MASK_TOP = new Mask(false);
    private static final Keys.Visitor<String> MASK_NESTED = new Mask(true);

    /**
     * The pair test; {@code nested}: an operand of {@code &&}, {@code ||} or {@code !}, in
     * parentheses unless it is one call or comparison.
     */
    private record Mask(boolean nested) implements Keys.Visitor<String> {
        @Override
        public String window(Keys.Window w) {
            Operand d = w.dilation();
            String range = d.isConst(1)
                    ? "j - i >= " + Operand.negated(w.before()) + " && j - i <= " + w.after()
                    : "j - i >= -" + Operand.product(w.before(), d) + " && j - i <= " + Operand.product(w.after(), d);
            return wrap(d.isConst(1) ? range : "(j - i) % " + d + " == 0 && " + range);
        }

        @Override
        public String blockWindow(Keys.BlockWindow w) {
            String qb = "i / " + w.block();
            String kb = "j / " + w.block();
            return wrap(kb + " >= " + qb + (w.before().isConst(0) ? "" : " - " + w.before()) + " && " + kb + " <= " + qb
                    + (w.after().isConst(0) ? "" : " + " + w.after()));
        }

        @Override
        public String causal(Keys.Causal c) {
            return "j <= i";
        }

        @Override
        public String full(Keys.Full f) {
            return "true";
        }

        @Override
        public String global(Keys.Global g) {
            return wrap("g" + g.slot() + ".contains(i) || g" + g.slot() + ".contains(j)");
        }

        @Override
        public String random(Keys.Random r) {
            return "r" + r.slot() + ".has(i / " + r.block() + ", j / " + r.block() + ")";
        }

        @Override
        public String segments(Keys.Segments s) {
            return "seg.same(i, j)";
        }

        @Override
        public String union(Keys.Union u) {
            return wrap(join(u.terms(), MASK_NESTED, " || "));
        }

        @Override
        public String intersect(Keys.Intersect x) {
            return wrap(x.left().accept(MASK_NESTED) + " && " + x.right().accept(MASK_NESTED));
        }

        @Override
        public String difference(Keys.Difference x) {
            return wrap(x.left().accept(MASK_NESTED) + " && !(" + x.right().accept(MASK_NESTED) + ")");
        }

        @Override
        public String tokenRange(Keys.TokenRange r) {
            return wrap(r.test(Operand::toString));
        }

        private String wrap(String e) {
            return nested ? "(" + e + ")" : e;
        }
    }

    /** The last position before {@code hi}: {@code 3} for 4, {@code n - 1}, {@code p0 - 1}. */
    private static String last(TokenBound hi) {
        if (hi.unit() == 1) {
            return new TokenBound(1, hi.fromEnd(), hi.index() - 1, hi.count(), hi.minus()).toString();
        }
        return hi + " - 1";
    }

    private static String join(List<Keys> terms, Keys.Visitor<String> v, String separator) {
        List<String> parts = new ArrayList<>();
        terms.forEach(t -> parts.add(t.accept(v)));
        return String.join(separator, parts);
    }
}
