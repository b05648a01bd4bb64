package dev.attnc.compiler.ir;

import java.util.List;

/**
 * The pattern IR: a set-algebra expression over (query, key) pairs. Primitive terms carry
 * every parameter they need (block sizes included), so a term means the same wherever a
 * pattern reuses it. Semantics are those of docs/DESIGN.md §3. Walks over it are {@link Visitor}s;
 * a question asked of every term (a block size, a run-time input) is a {@link Fold}.
 */
public sealed interface MaskExpr {

    /** {@code v}'s method for this node (the visitor recurses into operands itself). */
    <R> R accept(Visitor<R> v);

    /** One method per kind of node; adding a kind breaks every visitor until it handles it. */
    interface Visitor<R> {
        R union(Union u);

        R intersect(Intersect x);

        R difference(Difference x);

        R window(Window w);

        R blockWindow(BlockWindow w);

        R causal(Causal c);

        R full(Full f);

        R global(Global g);

        R randomBlocks(RandomBlocks r);

        R randomLayout(RandomLayout r);

        R segments(Segments s);

        R tokenSet(TokenSet t);
    }

    /**
     * A visitor that reduces a whole expression to one value: an operator combines its
     * operands' results left to right with {@link #combine}, a primitive term gives
     * {@link #term} unless its own method is overridden. Operators may be overridden too
     * (e.g. to skip the right operand of a difference).
     */
    abstract class Fold<R> implements Visitor<R> {

        /** A primitive term's value when its own method is not overridden. */
        protected abstract R term(MaskExpr t);

        /** Two results, the left operand's first. */
        protected abstract R combine(R left, R right);

        @Override
        public R union(Union u) {
            R acc = u.terms().get(0).accept(this);
            for (MaskExpr t : u.terms().subList(1, u.terms().size())) {
                acc = combine(acc, t.accept(this));
            }
            return acc;
        }

        @Override
        public R intersect(Intersect x) {
            return combine(x.left().accept(this), x.right().accept(this));
        }

        @Override
        public R difference(Difference x) {
            return combine(x.left().accept(this), x.right().accept(this));
        }

        @Override
        public R window(Window w) {
            return term(w);
        }

        @Override
        public R blockWindow(BlockWindow w) {
            return term(w);
        }

        @Override
        public R causal(Causal c) {
            return term(c);
        }

        @Override
        public R full(Full f) {
            return term(f);
        }

        @Override
        public R global(Global g) {
            return term(g);
        }

        @Override
        public R randomBlocks(RandomBlocks r) {
            return term(r);
        }

        @Override
        public R randomLayout(RandomLayout r) {
            return term(r);
        }

        @Override
        public R segments(Segments s) {
            return term(s);
        }

        @Override
        public R tokenSet(TokenSet t) {
            return term(t);
        }
    }

    /**
     * A fold asking whether some primitive term of an expression has a property: false for a
     * term unless its own method is overridden, operands combined by {@code ||}.
     */
    abstract class Any extends Fold<Boolean> {
        @Override
        protected Boolean term(MaskExpr t) {
            return false;
        }

        @Override
        protected Boolean combine(Boolean left, Boolean right) {
            return left || right;
        }
    }

    /** Keys in any operand; operands are flattened (no Union directly inside a Union). */
    record Union(List<MaskExpr> terms) implements MaskExpr {
        public Union {
            terms = List.copyOf(terms);
            if (terms.size() < 2) {
                throw new IllegalArgumentException("a union needs two terms or more");
            }
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.union(this);
        }
    }

    /** Keys in both operands. */
    record Intersect(MaskExpr left, MaskExpr right) implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.intersect(this);
        }
    }

    /** Keys in {@code left} but not in {@code right}. */
    record Difference(MaskExpr left, MaskExpr right) implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.difference(this);
        }
    }

    /** Token window: {@code j = i + dilation·t}, {@code t ∈ [-before, after]}. */
    record Window(Param before, Param after, Param dilation) implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.window(this);
        }
    }

    /** Block window: key block {@code kb ∈ [qb - before, qb + after]} in blocks of {@code block} tokens. */
    record BlockWindow(int block, Param before, Param after) implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.blockWindow(this);
        }
    }

    /** {@code j <= i}. */
    record Causal() implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.causal(this);
        }
    }

    /** Every key. */
    record Full() implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.full(this);
        }
    }

    /** Rows in the set attend every key; every row attends the keys in the set. */
    record Global(List<GlobalPart> parts) implements MaskExpr {
        public Global {
            parts = List.copyOf(parts);
        }

        public boolean hasInput() {
            return parts.stream().anyMatch(p -> p instanceof GlobalPart.FromInput);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.global(this);
        }
    }

    /**
     * BigBird random blocks: each non-global query block attends {@code count} key blocks
     * drawn by {@code dev.attnc.runtime.RandomBlocks} outside the blocks it already attends
     * through {@code excludeWindows} and {@code excludeGlobals} (the pattern's block-level
     * window and global terms, gathered by the IR builder).
     */
    record RandomBlocks(
            int block, Param count, long seed, List<BlockWindow> excludeWindows, List<GlobalPart> excludeGlobals)
            implements MaskExpr {
        public RandomBlocks {
            excludeWindows = List.copyOf(excludeWindows);
            excludeGlobals = List.copyOf(excludeGlobals);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.randomBlocks(this);
        }
    }

    /** Random blocks from an explicit layout given at run time ({@code layout [H, nQueryBlocks, r]}). */
    record RandomLayout(int block) implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.randomLayout(this);
        }
    }

    /**
     * Document masking: pairs whose tokens carry the same id in the run-time
     * {@code segment_ids [batch, n]} (equal ids in runs that are not adjacent are one segment).
     */
    record Segments() implements MaskExpr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.segments(this);
        }
    }

    /**
     * {@code keys S} ({@code queries} false): the pairs {@code (i, j)} with {@code j ∈ S};
     * {@code queries S}: the pairs with {@code i ∈ S}. {@code S} is the union of {@code parts},
     * clamped to {@code 0..n-1}, where {@link GlobalPart.FromInput} is the run-time prefix
     * {@code 0 .. prefix_len[b] - 1} of the batch item. Unlike a global term, the rows of a
     * queries set are not global rows (no separate projections).
     */
    record TokenSet(boolean queries, List<GlobalPart> parts) implements MaskExpr {
        public TokenSet {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a token set needs at least one part");
            }
        }

        /** Whether the set holds the run-time prefix ({@code from input}). */
        public boolean hasInput() {
            return parts.stream().anyMatch(p -> p instanceof GlobalPart.FromInput);
        }

        /** {@code keys} or {@code queries}. */
        public String word() {
            return queries ? "queries" : "keys";
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.tokenSet(this);
        }
    }
}
