package dev.attnc.runtime.kernel;

/**
 * The contract between the softmax engine ({@link RowGroupSoftmax}) and the register-blocked
 * inner loops it runs once per key chunk × register block: scores {@code Q·Kᵀ}, the online
 * softmax step, and {@code O += P·V}. A generated kernel supplies its own implementation,
 * written by the compiler for its pattern and schedule with the head dim, the rows per block,
 * the key vectors per block and the vector species as constants; {@link GenericMicroKernel} is
 * the runtime's implementation for kernels that supply none.
 *
 * <p>Every method takes arrays and offsets, never vectors, so nothing is boxed across a call.
 * Blocks are {@link #rows()} rows high; a block of fewer rows (the tail of a row group) is
 * computed by the same code with the offsets of its missing rows clamped to its last real row,
 * so per row the arithmetic is the same whatever the block's height.
 *
 * <p>Implementations must be stateless (one instance serves every thread of a kernel).
 */
public interface MicroKernel {

    /**
     * How far a row's reference maximum may lag behind its true maximum, in log2 units (2^11 =
     * 2048): the online softmax rescales a row only when a chunk's maximum exceeds it by more.
     */
    float STALE_MAX = 11f;

    /** The head dim {@code d} every offset below counts in. */
    int headDim();

    /** Query rows per register block, at least 1. */
    int rows();

    /**
     * Keys per register block of the scores, a multiple of the vector's lanes: the engine pads
     * key chunks to a multiple of it and lays K out in panels of this many keys.
     */
    int keys();

    /** The width of the vectors this implementation computes with, in bits. */
    int vectorBits();

    /**
     * {@code s[r·ld + t] = q[qOff + r·d ..]·K[t]} for the block's {@code rows <= rows()} rows and
     * keys {@code tFrom <= t < tTo} (both multiples of {@link #keys()}); key {@code t}'s column
     * {@code x} is {@code kt[kOff + t/keys()·blockStride + x·xStride + t%keys()]}.
     */
    void scores(
            int rows,
            float[] q,
            int qOff,
            float[] kt,
            int kOff,
            int blockStride,
            int xStride,
            int tFrom,
            int tTo,
            float[] s,
            int ld);

    /**
     * The online-softmax step of rows {@code row0 .. row0+rows-1} over one chunk, whose scores
     * (log2 units) are {@code s[r·ld + tFrom .. r·ld + tTo)}: a row's running maximum
     * {@code m[row]} moves (rescaling its sum and its output accumulator {@code o[row·d ..]}) only
     * when the chunk's maximum exceeds it by more than {@link #STALE_MAX}; the scores are replaced
     * by {@code 2^(s − m)} (0 for a row with no key yet) and added to the row's sum.
     *
     * <p>The sum is kept in lanes: {@code l[row·lanes + j]}, {@code lanes = vectorBits()/32}, holds
     * the probabilities of the chunk positions {@code ≡ j (mod lanes)}, added lane-wise; the engine
     * adds the lanes in order once the row is done. (A {@code reduceLanes(ADD)} per chunk would
     * cost as much and its order is left open by the Vector API: it differs between the
     * interpreter and C2, so the same call gave results 1 ulp apart before and after the JIT.)
     */
    void softmax(int rows, float[] s, int ld, int tFrom, int tTo, float[] m, float[] l, float[] o, int row0);

    /**
     * {@code o[oOff + r·d ..] += Σ_t p[r·ld + t]·v[headBase + keys[t]·tokenStride ..]} for the
     * block's {@code rows <= rows()} rows and {@code tFrom <= t < tTo}, every column of the head.
     */
    void pv(
            int rows,
            float[] o,
            int oOff,
            float[] p,
            int ld,
            float[] v,
            int headBase,
            int tokenStride,
            int[] keys,
            int tFrom,
            int tTo);
}
