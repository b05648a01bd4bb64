package dev.attnc.compiler.loops;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the pair test of a key set reads, each in ascending order: parameter slots
 * ({@code pK}), global sets ({@code gK}) and random tables ({@code rK}), and whether it reads
 * the batch item's segments ({@code seg}). The emitters load exactly these into locals before
 * the test.
 */
public record KeyReads(
        SortedSet<Integer> params, SortedSet<Integer> globals, SortedSet<Integer> randoms, boolean segments) {

    public KeyReads {
        params = Collections.unmodifiableSortedSet(new TreeSet<>(params));
        globals = Collections.unmodifiableSortedSet(new TreeSet<>(globals));
        randoms = Collections.unmodifiableSortedSet(new TreeSet<>(randoms));
    }

    public static KeyReads of(Keys keys) {
        Collector c = new Collector();
        keys.accept(c);
        return new KeyReads(c.params, c.globals, c.randoms, c.segments);
    }

    /** True when the pair test of {@code keys} reads the sequence length {@code n} (a range counted from the end). */
    public static boolean readsLength(Keys keys) {
        Collector c = new Collector();
        keys.accept(c);
        return c.length;
    }

    /** True when the test reads no slot, set or table. */
    public boolean isEmpty() {
        return params.isEmpty() && globals.isEmpty() && randoms.isEmpty() && !segments;
    }

    private static final class Collector implements Keys.Visitor<Void> {
        private final TreeSet<Integer> params = new TreeSet<>();
        private final TreeSet<Integer> globals = new TreeSet<>();
        private final TreeSet<Integer> randoms = new TreeSet<>();
        private boolean segments;
        private boolean length;

        @Override
        public Void window(Keys.Window w) {
            return slots(w.before(), w.after(), w.dilation());
        }

        @Override
        public Void blockWindow(Keys.BlockWindow w) {
            return slots(w.before(), w.after());
        }

        @Override
        public Void causal(Keys.Causal c) {
            return null;
        }

        @Override
        public Void full(Keys.Full f) {
            return null;
        }

        @Override
        public Void global(Keys.Global g) {
            globals.add(g.slot());
            return null;
        }

        @Override
        public Void random(Keys.Random r) {
            randoms.add(r.slot());
            return null;
        }

        @Override
        public Void segments(Keys.Segments s) {
            segments = true;
            return null;
        }

        @Override
        public Void union(Keys.Union u) {
            u.terms().forEach(t -> t.accept(this));
            return null;
        }

        @Override
        public Void intersect(Keys.Intersect x) {
            return both(x.left(), x.right());
        }

        @Override
        public Void difference(Keys.Difference x) {
            return both(x.left(), x.right());
        }

        @Override
        public Void tokenRange(Keys.TokenRange r) {
            length |= r.lo().fromEnd() || r.hi().fromEnd();
            return slots(r.lo().count(), r.hi().count());
        }

        private Void both(Keys left, Keys right) {
            left.accept(this);
            right.accept(this);
            return null;
        }

        private Void slots(Operand... operands) {
            for (Operand o : operands) {
                if (o instanceof Operand.Slot s) {
                    params.add(s.index());
                }
            }
            return null;
        }
    }
}
