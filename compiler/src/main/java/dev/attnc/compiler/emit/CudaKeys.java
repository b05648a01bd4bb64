package dev.attnc.compiler.emit;

import dev.attnc.compiler.loops.Keys;
import dev.attnc.compiler.loops.Operand;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop IR's key sets as CUDA C++, printed through {@link CudaWriter} by {@link Keys.Visitor}s:
 * the body of {@code Pattern::cover} (one {@code attnc::Cover} local per inner node, the root
 * written to {@code out}) and the pair test of {@code Pattern::mask} (one boolean expression
 * over {@code i} and {@code j}, reading the locals {@code pK}, {@code gK}, {@code rK} and {@code seg}: the
 * same text as the Java kernel's, as integer {@code /} and {@code %} truncate alike in both).
 */
final class CudaKeys {

    private CudaKeys() {}

    /** {@code attnc::Cover k0, k1, …;}: the locals {@link #cover} uses, none for a single node. */
    static void coverLocals(CudaWriter w, Keys keys) {
        List<String> locals = new ArrayList<>();
        for (int k = 0; k < keys.accept(NODES) - 1; k++) {
            locals.add("k" + k);
        }
        w.declare("attnc::Cover", locals);
    }

    /** One statement per node of {@code keys}' cover, the last into {@code out}. */
    static void cover(CudaWriter w, Keys keys) {
        new Cover(w).root(keys);
    }

    /** {@code return <pair test>;} */
    static void returnMask(CudaWriter w, Keys keys) {
        w.add("return ");
        keys.accept(new Mask(w, false));
        w.end(";");
    }

    /** A cover operand: a constant, or the parameter's slot {@code c.p(K)}. */
    static String slot(Operand o) {
        return o instanceof Operand.Slot s ? CudaWriter.format("c.p($L)", s.index()) : o.toString();
    }

    /** How many statements the cover takes: one per leaf and binary operator, one less than its terms per union. */
    private static final Keys.Visitor<Integer> NODES = new Keys.Visitor<>() {
        @Override
        public Integer window(Keys.Window w) {
            return 1;
        }

        @Override
        public Integer blockWindow(Keys.BlockWindow w) {
            return 1;
        }

        @Override
        public Integer causal(Keys.Causal c) {
            return 1;
        }

        @Override
        public Integer full(Keys.Full f) {
            return 1;
        }

        @Override
        public Integer global(Keys.Global g) {
            return 1;
        }

        @Override
        public Integer random(Keys.Random r) {
            return 1;
        }

        @Override
        public Integer segments(Keys.Segments s) {
            return 1;
        }

        @Override
        public Integer tokenRange(Keys.TokenRange r) {
            return 1;
        }

        @Override
        public Integer union(Keys.Union u) {
            return u.terms().stream().mapToInt(t -> t.accept(this)).sum()
                    + u.terms().size()
                    - 1;
        }

        @Override
        public Integer intersect(Keys.Intersect x) {
            return x.left().accept(this) + x.right().accept(this) + 1;
        }

        @Override
        public Integer difference(Keys.Difference x) {
            return x.left().accept(this) + x.right().accept(this) + 1;
        }
    };

    /** Prints the cover's statements; each node's visit returns the local that holds it. */
    private static final class Cover {
        private final CudaWriter w;
        private final Node inner = new Node(false);
        private int locals;

        Cover(CudaWriter w) {
            this.w = w;
        }

        void root(Keys keys) {
            keys.accept(new Node(true));
        }

        /** {@code top}: the root, whose last statement writes {@code out}. */
        private final class Node implements Keys.Visitor<String> {
            private final boolean top;

            Node(boolean top) {
                this.top = top;
            }

            @Override
            public String window(Keys.Window k) {
                String v = target(top);
                w.line(
                        "attnc::window($L, n, first, stride, rows, $L, $L, $L);",
                        v,
                        slot(k.before()),
                        slot(k.after()),
                        slot(k.dilation()));
                return v;
            }

            @Override
            public String blockWindow(Keys.BlockWindow k) {
                String v = target(top);
                w.line(
                        "attnc::blockWindow($L, n, first, stride, rows, $L, $L, $L);",
                        v,
                        k.block(),
                        slot(k.before()),
                        slot(k.after()));
                return v;
            }

            @Override
            public String causal(Keys.Causal k) {
                String v = target(top);
                w.line("attnc::causal($L, n, first, stride, rows);", v);
                return v;
            }

            @Override
            public String full(Keys.Full k) {
                String v = target(top);
                w.line("attnc::all($L, n);", v);
                return v;
            }

            @Override
            public String global(Keys.Global k) {
                String v = target(top);
                w.line("attnc::global($L, n, first, stride, rows, c.g($L));", v, k.slot());
                return v;
            }

            @Override
            public String random(Keys.Random k) {
                String v = target(top);
                w.line("attnc::random($L, n, first, stride, rows, $L, c.r($L));", v, k.block(), k.slot());
                return v;
            }

            @Override
            public String segments(Keys.Segments k) {
                String v = target(top);
                w.line("attnc::segments($L, n, first, stride, rows, c.seg());", v);
                return v;
            }

            @Override
            public String tokenRange(Keys.TokenRange k) {
                String v = target(top);
                String lo = k.lo().text(CudaKeys::slot);
                String hi = k.hi().text(CudaKeys::slot);
                if (k.queries()) {
                    w.line("attnc::queryRange($L, n, first, stride, rows, $L, $L);", v, lo, hi);
                } else {
                    w.line("attnc::keyRange($L, n, $L, $L);", v, lo, hi);
                }
                return v;
            }

            @Override
            public String union(Keys.Union u) {
                String acc = u.terms().get(0).accept(inner);
                for (int k = 1; k < u.terms().size(); k++) {
                    String next = u.terms().get(k).accept(inner);
                    String v = target(top && k == u.terms().size() - 1);
                    w.line("attnc::unite($L, $L, $L);", v, acc, next);
                    acc = v;
                }
                return acc;
            }

            @Override
            public String intersect(Keys.Intersect x) {
                return binary("intersect", x.left(), x.right());
            }

            @Override
            public String difference(Keys.Difference x) {
                return binary("difference", x.left(), x.right());
            }

            /** {@code attnc::<op>(v, left, right)} after the operands' statements. */
            private String binary(String op, Keys left, Keys right) {
                String l = left.accept(inner);
                String r = right.accept(inner);
                String v = target(top);
                w.line("attnc::$L($L, $L, $L);", op, v, l, r);
                return v;
            }
        }

        private String target(boolean top) {
            return top ? "out" : "k" + locals++;
        }
    }

    /**
     * Prints the pair test; {@code nested}: an operand of {@code &&}, {@code ||} or {@code !}, in
     * parentheses unless it is one call or comparison.
     */
    private record Mask(CudaWriter w, boolean nested) implements Keys.Visitor<Void> {
        @Override
        public Void window(Keys.Window k) {
            Operand d = k.dilation();
            open();
            if (d.isConst(1)) {
                w.add("j - i >= $L && j - i <= $L", Operand.negated(k.before()), k.after());
            } else {
                w.add(
                        "(j - i) % $L == 0 && j - i >= -$L && j - i <= $L",
                        d, Operand.product(k.before(), d), Operand.product(k.after(), d));
            }
            return close();
        }

        @Override
        public Void blockWindow(Keys.BlockWindow k) {
            open();
            w.add("j / $L >= i / $L", k.block(), k.block());
            if (!k.before().isConst(0)) {
                w.add(" - $L", k.before());
            }
            w.add(" && j / $L <= i / $L", k.block(), k.block());
            if (!k.after().isConst(0)) {
                w.add(" + $L", k.after());
            }
            return close();
        }

        @Override
        public Void causal(Keys.Causal k) {
            w.add("j <= i");
            return null;
        }

        @Override
        public Void full(Keys.Full k) {
            w.add("true");
            return null;
        }

        @Override
        public Void global(Keys.Global k) {
            open();
            w.add("g$L.contains(i) || g$L.contains(j)", k.slot(), k.slot());
            return close();
        }

        @Override
        public Void random(Keys.Random k) {
            w.add("r$L.has(i / $L, j / $L)", k.slot(), k.block(), k.block());
            return null;
        }

        @Override
        public Void segments(Keys.Segments k) {
            w.add("seg.same(i, j)");
            return null;
        }

        @Override
        public Void union(Keys.Union u) {
            Mask operand = new Mask(w, true);
            open();
            for (int t = 0; t < u.terms().size(); t++) {
                w.add(t == 0 ? "" : " || ");
                u.terms().get(t).accept(operand);
            }
            return close();
        }

        @Override
        public Void intersect(Keys.Intersect x) {
            return binary(x.left(), " && ", x.right(), "");
        }

        @Override
        public Void difference(Keys.Difference x) {
            return binary(x.left(), " && !(", x.right(), ")");
        }

        private Void binary(Keys left, String between, Keys right, String after) {
            Mask operand = new Mask(w, true);
            open();
            left.accept(operand);
            w.add(between);
            right.accept(operand);
            w.add(after);
            return close();
        }

        @Override
        public Void tokenRange(Keys.TokenRange k) {
            open();
            w.add("$L", k.test(Operand::toString));
            return close();
        }

        private void open() {
            w.add(nested ? "(" : "");
        }

        private Void close() {
            w.add(nested ? ")" : "");
            return null;
        }
    }
}
