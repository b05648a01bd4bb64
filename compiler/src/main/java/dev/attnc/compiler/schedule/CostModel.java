package dev.attnc.compiler.schedule;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.MaskBlocks;
import dev.attnc.compiler.ir.PatternIR;

/**
 * Default schedules (docs/TOOLCHAIN.md: 32 KB L1 data cache per core, 8-lane FMA, 16 vector
 * registers):
 * <ul>
 *   <li>query tile: a pattern with blocks gets tiles that line up with its blocks (the block
 *       size when it lies in 16..128; else a divisor or a multiple of it), so that block terms
 *       give full tiles; otherwise 64 rows. Heads of 256 or more halve it, so that the tile's
 *       Q and O rows ({@code 2·qtile·d} floats) stay within L2;</li>
 *   <li>key tile: 64 keys, whose transposed K chunk ({@code d·64} floats, 16 KB at d = 64) stays
 *       in L1 while every row of the tile reads it; 32 for heads of 256 or more;</li>
 *   <li>grain: 2 query tiles per task, enough tasks for two cores at n ≥ 256 per head;</li>
 *   <li>register block, per vector width: at 512 bits (AVX-512, 32 vector registers)
 *       {@value #WIDE_ROWS} rows × {@value #WIDE_VECTORS} vectors; narrower (AVX2 and SSE/NEON,
 *       16 registers on x86) 6 rows × 2 vectors, whose 12 accumulators leave room for the two
 *       key vectors and the broadcast. The width itself is the caller's (the machine's by
 *       default, {@link VectorWidth}).</li>
 * </ul>
 */
public final class CostModel {

    private CostModel() {}

    /** Register-block rows at 512 bits. */
    static final int WIDE_ROWS = 8;
    /** Register-block vectors at 512 bits. */
    static final int WIDE_VECTORS = 2;

    /** The default schedule of {@code p} for vectors of {@code vectorBits} (64, 128, 256 or 512). */
    public static Schedule choose(PatternIR p, int vectorBits) {
        int d = p.headDim();
        int qtile = d >= 256 ? 32 : 64;
        int ktile = d >= 256 ? 32 : 64;
        if (p.attention() instanceof Attention.Softmax s) {
            int block = MaskBlocks.first(s.mask());
            if (block > 0) {
                qtile = alignedTile(block, qtile);
            }
        }
        boolean wide = vectorBits >= 512;
        return new Schedule(qtile, ktile, 2, wide ? WIDE_ROWS : 6, wide ? WIDE_VECTORS : 2, vectorBits);
    }

    /** A tile that is the block, a divisor of it, or a multiple of it, near {@code preferred}. */
    static int alignedTile(int block, int preferred) {
        if (block >= 16 && block <= 128) {
            return block;
        }
        if (block > 128) {
            int t = block;
            while (t > 128 && t % 2 == 0) {
                t /= 2;
            }
            return t <= 128 ? t : preferred;
        }
        return block * Math.max(1, preferred / block);
    }
}
