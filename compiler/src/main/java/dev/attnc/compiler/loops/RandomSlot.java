package dev.attnc.compiler.loops;

import java.util.List;

/** The key-block table of one random-block term, built per (layer, head, n) into {@code r[index]}. */
public sealed interface RandomSlot {

    int index();

    int block();

    /**
     * Drawn by {@code RandomBlocks} from the seed, outside the block windows
     * {@code {before, after}} and the global blocks (block indices, as {@link GlobalItem}s over
     * the {@code nb} blocks).
     */
    record Seeded(
            int index, int block, Operand count, long seed, List<Operand[]> windows, List<GlobalItem> globalBlocks)
            implements RandomSlot {
        public Seeded {
            windows = List.copyOf(windows);
            globalBlocks = List.copyOf(globalBlocks);
        }
    }

    /** From the runtime {@code layout [H, nQueryBlocks, r]}. */
    record Layout(int index, int block) implements RandomSlot {}
}
