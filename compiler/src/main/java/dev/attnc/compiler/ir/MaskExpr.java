package dev.attnc.compiler.ir;

import java.util.List;

/**
 * The pattern IR: a set-algebra expression over (query, key) pairs. Primitive terms carry
 * every parameter they need (block sizes included), so a term means the same wherever a
 * pattern reuses it. Semantics are those of DESIGN.md §3.
 */
public sealed interface MaskExpr {

    /** Keys in any operand; operands are flattened (no Union directly inside a Union). */
    record Union(List<MaskExpr> terms) implements MaskExpr {
        public Union {
            terms = List.copyOf(terms);
            if (terms.size() < 2) {
                throw new IllegalArgumentException("a union needs two terms or more");
            }
        }
    }

    /** Keys in both operands. */
    record Intersect(MaskExpr left, MaskExpr right) implements MaskExpr {}

    /** Keys in {@code left} but not in {@code right}. */
    record Difference(MaskExpr left, MaskExpr right) implements MaskExpr {}

    /** Token window: {@code j = i + dilation·t}, {@code t ∈ [-before, after]}. */
    record Window(Param before, Param after, Param dilation) implements MaskExpr {}

    /** Block window: key block {@code kb ∈ [qb - before, qb + after]} in blocks of {@code block} tokens. */
    record BlockWindow(int block, Param before, Param after) implements MaskExpr {}

    /** {@code j <= i}. */
    record Causal() implements MaskExpr {}

    /** Every key. */
    record Full() implements MaskExpr {}

    /** Rows in the set attend every key; every row attends the keys in the set. */
    record Global(List<GlobalPart> parts) implements MaskExpr {
        public Global {
            parts = List.copyOf(parts);
        }

        public boolean hasInput() {
            return parts.stream().anyMatch(p -> p instanceof GlobalPart.FromInput);
        }
    }

    /**
     * BigBird random blocks: each non-global query block attends {@code count} key blocks
     * drawn by {@code dev.attnc.runtime.RandomBlocks} outside the blocks it already attends
     * through {@code excludeWindows} and {@code excludeGlobals} (the pattern's block-level
     * window and global terms, gathered by the IR builder).
     */
    record RandomBlocks(int block, Param count, long seed, List<BlockWindow> excludeWindows,
                        List<GlobalPart> excludeGlobals) implements MaskExpr {
        public RandomBlocks {
            excludeWindows = List.copyOf(excludeWindows);
            excludeGlobals = List.copyOf(excludeGlobals);
        }
    }

    /** Random blocks from an explicit layout given at run time ({@code layout [H, nQueryBlocks, r]}). */
    record RandomLayout(int block) implements MaskExpr {}
}
