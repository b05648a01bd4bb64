package dev.attnc.compiler.inspect;

/** How much of a (query tile, key tile) pair a mask attends, as FlexAttention's block masks. */
public enum TileClass {
    /** No pair: the kernel skips the tile. */
    EMPTY,
    /** Some pairs: the kernel tests the mask inside the tile. */
    PARTIAL,
    /** Every pair (of the tile clipped at n): the kernel needs no mask test. */
    FULL
}
