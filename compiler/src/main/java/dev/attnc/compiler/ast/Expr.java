package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;
import java.util.Optional;

/** A mask expression: primitive terms combined with set operators. */
public sealed interface Expr {
    Span span();

    /** {@code a | b} */
    record Union(Expr left, Expr right, Span span) implements Expr {}

    /** {@code a & b} */
    record Intersect(Expr left, Expr right, Span span) implements Expr {}

    /** {@code a - b} */
    record Difference(Expr left, Expr right, Span span) implements Expr {}

    /** {@code window 256 before, 128 after dilation 2} (one or two extents). */
    record Window(List<Extent> extents, Optional<Value> dilation, Span span) implements Expr {
        public Window {
            extents = List.copyOf(extents);
        }
    }

    /** {@code causal}: keys at or before the query. */
    record Causal(Span span) implements Expr {}

    /** {@code full}: every key (dense attention). */
    record Full(Span span) implements Expr {}

    /** {@code global tokens [0] and from input} */
    record Global(List<GlobalItem> items, Span span) implements Expr {
        public Global {
            items = List.copyOf(items);
        }
    }

    /**
     * {@code keys [0..3]} ({@code queries} false): every query attends the keys in the set;
     * {@code queries [0..3]} ({@code queries} true): the queries in the set attend every key. The
     * set's items are those of a global term (a bare index list counts tokens); {@code from input}
     * is the run-time per-item prefix {@code 0 .. prefix_len[b] - 1}.
     */
    record TokenSet(boolean queries, List<GlobalItem> items, Span span) implements Expr {
        public TokenSet {
            items = List.copyOf(items);
        }

        /** {@code keys} or {@code queries}. */
        public String word() {
            return queries ? "queries" : "keys";
        }
    }

    /** {@code random 3 blocks per row, seed 42}; {@code seed} absent means seed 0 (warned). */
    record Random(Value count, Optional<IntLit> seed, Span span) implements Expr {}

    /** {@code random from input}: an explicit block layout given at run time. */
    record RandomInput(Span span) implements Expr {}

    /**
     * {@code segments from input}: pairs whose tokens carry the same run-time segment id
     * ({@code segment_ids [batch, n]}), as in packed sequences.
     */
    record Segments(Span span) implements Expr {}

    /** {@code additive (value separate, pooling vector)}: Fastformer additive attention. */
    record Additive(List<AdditiveOption> options, Span span) implements Expr {
        public Additive {
            options = List.copyOf(options);
        }
    }

    /** A use of another named pattern's mask. */
    record Ref(Ident name) implements Expr {
        @Override
        public Span span() {
            return name.span();
        }
    }
}
