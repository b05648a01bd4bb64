package dev.attnc.compiler.inspect;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys one query row attends: a list of pairwise disjoint {@link Piece}s (arithmetic
 * progressions), with exact union, intersection and difference. Intersection of two
 * progressions solves the congruences (CRT); a difference splits the residues modulo the
 * strides' lcm, or falls back to single points when there are fewer points than residues.
 * Windows, globals and blocks are a few pieces, so one row costs O(terms²) at most.
 */
final class RowSet {

    static final RowSet EMPTY = new RowSet(List.of());

    private final List<Piece> pieces;

    private RowSet(List<Piece> pieces) {
        this.pieces = pieces;
    }

    static RowSet of(List<Piece> disjoint) {
        return disjoint.isEmpty() ? EMPTY : new RowSet(List.copyOf(disjoint));
    }

    static RowSet of(Piece p) {
        return p == null ? EMPTY : new RowSet(List.of(p));
    }

    static RowSet interval(long from, long toExclusive) {
        return from >= toExclusive ? EMPTY : of(Piece.interval(from, toExclusive));
    }

    List<Piece> pieces() {
        return pieces;
    }

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    long count() {
        long c = 0;
        for (Piece p : pieces) {
            c += p.count();
        }
        return c;
    }

    /** Elements in {@code [lo, hi)}. */
    long count(long lo, long hi) {
        long c = 0;
        for (Piece p : pieces) {
            c += p.countIn(lo, hi);
        }
        return c;
    }

    boolean contains(long x) {
        for (Piece p : pieces) {
            if (p.contains(x)) {
                return true;
            }
        }
        return false;
    }

    RowSet union(RowSet other) {
        if (isEmpty()) {
            return other;
        }
        if (other.isEmpty()) {
            return this;
        }
        List<Piece> out = new ArrayList<>(pieces);
        out.addAll(other.minus(this).pieces);
        return of(out);
    }

    RowSet intersect(RowSet other) {
        if (isEmpty() || other.isEmpty()) {
            return EMPTY;
        }
        List<Piece> out = new ArrayList<>();
        for (Piece a : pieces) {
            for (Piece b : other.pieces) {
                Piece c = intersect(a, b);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return of(out);
    }

    RowSet minus(RowSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        List<Piece> cur = new ArrayList<>(pieces);
        for (Piece b : other.pieces) {
            List<Piece> next = new ArrayList<>();
            for (Piece a : cur) {
                subtract(a, b, next);
            }
            cur = next;
            if (cur.isEmpty()) {
                break;
            }
        }
        return of(cur);
    }

    /** {@code a ∩ b}, one progression with stride lcm(a.stride, b.stride), or null. */
    static Piece intersect(Piece a, Piece b) {
        long lo = Math.max(a.first(), b.first());
        long hi = Math.min(a.last(), b.last());
        if (lo > hi) {
            return null;
        }
        if (a.stride() == 1) {
            return b.clip(lo, hi);
        }
        if (b.stride() == 1) {
            return a.clip(lo, hi);
        }
        // x ≡ a.first (mod a.s), x ≡ b.first (mod b.s)
        BigInteger s1 = BigInteger.valueOf(a.stride());
        BigInteger s2 = BigInteger.valueOf(b.stride());
        BigInteger g = s1.gcd(s2);
        BigInteger diff = BigInteger.valueOf(b.first() - a.first());
        if (diff.mod(g).signum() != 0) {
            return null;
        }
        BigInteger lcm = s1.divide(g).multiply(s2);
        BigInteger m1 = s1.divide(g);
        BigInteger m2 = s2.divide(g);
        // a.first + s1 * t ≡ b.first (mod s2)  =>  t ≡ (diff/g) * inv(m1) (mod m2)
        BigInteger t = m2.equals(BigInteger.ONE)
                ? BigInteger.ZERO
                : diff.divide(g).multiply(m1.modInverse(m2)).mod(m2);
        BigInteger x0 = BigInteger.valueOf(a.first()).add(s1.multiply(t)).mod(lcm);
        if (lcm.bitLength() > 62) {
            // Strides this large leave at most one common element in any real range.
            for (long x = lo; x <= hi; x++) {
                if (a.contains(x) && b.contains(x)) {
                    return new Piece(x, 1, 1);
                }
            }
            return null;
        }
        long l = lcm.longValue();
        long r = x0.longValue();
        long first = lo + Math.floorMod(r - lo, l);
        if (first > hi) {
            return null;
        }
        return new Piece(first, (hi - first) / l + 1, l);
    }

    /** Appends {@code a − b} to {@code out} as disjoint pieces. */
    static void subtract(Piece a, Piece b, List<Piece> out) {
        Piece common = intersect(a, b);
        if (common == null) {
            out.add(a);
            return;
        }
        long lo = Math.max(a.first(), b.first());
        long hi = Math.min(a.last(), b.last());
        addIfNotNull(out, a.clip(Long.MIN_VALUE / 4, lo - 1));
        addIfNotNull(out, a.clip(hi + 1, Long.MAX_VALUE / 4));
        Piece inside = a.clip(lo, hi);
        if (inside == null || common.count() == inside.count()) {
            return;
        }
        long lcm = lcmOrMax(a.stride(), b.stride());
        long classes = lcm / a.stride();
        if (classes > inside.count()) {
            for (long k = 0; k < inside.count(); k++) {
                long x = inside.first() + k * inside.stride();
                if (!common.contains(x)) {
                    out.add(new Piece(x, 1, 1));
                }
            }
            return;
        }
        long k0 = Math.floorDiv(common.first() - inside.first(), a.stride()) % classes;
        for (long k = 0; k < classes; k++) {
            if (k == k0) {
                continue;
            }
            long first = inside.first() + k * a.stride();
            if (first > inside.last()) {
                continue;
            }
            out.add(new Piece(first, (inside.last() - first) / lcm + 1, lcm));
        }
    }

    /** lcm of two strides, or Long.MAX_VALUE when it does not fit (then points are enumerated). */
    private static long lcmOrMax(long x, long y) {
        long g = BigInteger.valueOf(x).gcd(BigInteger.valueOf(y)).longValue();
        try {
            return Math.multiplyExact(x / g, y);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void addIfNotNull(List<Piece> out, Piece p) {
        if (p != null) {
            out.add(p);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Piece p : pieces) {
            sb.append(sb.length() > 1 ? ", " : "")
                    .append(p.first())
                    .append("..")
                    .append(p.last());
            if (p.stride() > 1) {
                sb.append(" step ").append(p.stride());
            }
        }
        return sb.append('}').toString();
    }
}
