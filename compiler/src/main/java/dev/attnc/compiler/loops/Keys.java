package dev.attnc.compiler.loops;

import java.util.List;

/**
 * The key sets of the loop IR: the pattern IR's set algebra with every parameter lowered to
 * an {@link Operand} and every global or random term bound to its slot. The emitter prints
 * each node twice: as a {@code KeyCover} (which key segments a row group visits, full or
 * partial) and as the pair test {@code mask(i, j)} used in partial chunks. Every printer is a
 * {@link Visitor}: {@link KeysText} for the loop dump and comments, the emitters' own for
 * generated code.
 */
public sealed interface Keys {

    /** {@code v}'s method for this node (the visitor recurses into operands itself). */
    <R> R accept(Visitor<R> v);

    /** One method per kind of key set; adding a kind breaks every visitor until it handles it. */
    interface Visitor<R> {
        R window(Window w);

        R blockWindow(BlockWindow w);

        R causal(Causal c);

        R full(Full f);

        R global(Global g);

        R random(Random r);

        R segments(Segments s);

        R union(Union u);

        R intersect(Intersect x);

        R difference(Difference x);

        R tokenRange(TokenRange r);
    }

    record Window(Operand before, Operand after, Operand dilation) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.window(this);
        }
    }

    record BlockWindow(int block, Operand before, Operand after) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.blockWindow(this);
        }
    }

    record Causal() implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.causal(this);
        }
    }

    record Full() implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.full(this);
        }
    }

    record Global(int slot) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.global(this);
        }
    }

    record Random(int block, int slot) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.random(this);
        }
    }

    /** {@code seg[i] == seg[j]} over the batch item's run-time segments. */
    record Segments() implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.segments(this);
        }
    }

    /**
     * One range {@code lo .. hi - 1} (clamped to {@code 0..n-1}) of a {@code keys} set (every row
     * attends its keys) or, when {@code queries}, of a {@code queries} set (its rows attend every
     * key).
     */
    record TokenRange(boolean queries, TokenBound lo, TokenBound hi) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.tokenRange(this);
        }

        /** {@code keys} or {@code queries}. */
        public String word() {
            return queries ? "queries" : "keys";
        }

        /**
         * The pair test over {@code i} (queries) or {@code j} (keys), each slot printed by
         * {@code slot}: {@code j < 4}, {@code i >= n - 2 && i < n}.
         */
        public String test(java.util.function.Function<Operand, String> slot) {
            String x = queries ? "i" : "j";
            String upper = x + " < " + hi.text(slot);
            return lo.isStart() ? upper : x + " >= " + lo.text(slot) + " && " + upper;
        }
    }

    record Union(List<Keys> terms) implements Keys {
        public Union {
            terms = List.copyOf(terms);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.union(this);
        }
    }

    record Intersect(Keys left, Keys right) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.intersect(this);
        }
    }

    record Difference(Keys left, Keys right) implements Keys {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.difference(this);
        }
    }
}
