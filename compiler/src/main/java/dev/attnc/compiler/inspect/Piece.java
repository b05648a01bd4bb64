package dev.attnc.compiler.inspect;

/**
 * An arithmetic progression of key indices: {@code first, first + stride, …} ({@code count}
 * elements, {@code count >= 1}, {@code stride >= 1}). A stride of 1 is a plain interval.
 */
record Piece(long first, long count, long stride) {

    Piece {
        if (count < 1 || stride < 1) {
            throw new IllegalArgumentException("bad piece " + first + "+" + stride + "×" + count);
        }
        if (count == 1) {
            stride = 1;
        }
    }

    static Piece interval(long from, long toExclusive) {
        return new Piece(from, toExclusive - from, 1);
    }

    long last() {
        return first + (count - 1) * stride;
    }

    boolean contains(long x) {
        return x >= first && x <= last() && Math.floorMod(x - first, stride) == 0;
    }

    /** Elements in {@code [lo, hi)}. */
    long countIn(long lo, long hi) {
        long a = Math.max(lo, first);
        long b = Math.min(hi - 1, last());
        if (a > b) {
            return 0;
        }
        long kA = ceilDiv(a - first, stride);
        long kB = Math.floorDiv(b - first, stride);
        return Math.max(0, kB - kA + 1);
    }

    /** The elements of this piece in {@code [lo, hi]} (inclusive), or null. */
    Piece clip(long lo, long hi) {
        long a = Math.max(lo, first);
        long b = Math.min(hi, last());
        if (a > b) {
            return null;
        }
        long kA = ceilDiv(a - first, stride);
        long kB = Math.floorDiv(b - first, stride);
        return kB < kA ? null : new Piece(first + kA * stride, kB - kA + 1, stride);
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
