package dev.attnc.compiler.loops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One end of a {@link Keys.TokenRange}: the token position
 * {@code unit · (base + index ± count)}, where {@code base} is the number of units in the
 * sequence ({@code n} for tokens, {@code ceil(n / unit)} for blocks) when {@code fromEnd}, else
 * 0, and {@code count} an operand (a constant, a parameter slot or the run-time prefix slot).
 * Readers clamp it to {@code 0..n}; as code it is one integer expression over {@code n} and the
 * slots, the same text in Java and CUDA.
 *
 * @param unit   1 for tokens, the block size for blocks
 * @param minus  whether {@code count} is subtracted
 */
public record TokenBound(int unit, boolean fromEnd, long index, Operand count, boolean minus) {

    public TokenBound {
        if (unit < 1) {
            throw new IllegalArgumentException("unit must be >= 1, got " + unit);
        }
    }

    /** The constant position {@code unit · index} counted from the start. */
    public static TokenBound at(int unit, long index) {
        return new TokenBound(unit, false, index, new Operand.Const(0), false);
    }

    /** {@code unit · index}, counted from the end when {@code index} was written negative. */
    public static TokenBound indexed(int unit, long index, boolean fromEnd) {
        return new TokenBound(unit, fromEnd, index, new Operand.Const(0), false);
    }

    /** The end of the sequence, {@code n}. */
    public static TokenBound end() {
        return new TokenBound(1, true, 0, new Operand.Const(0), false);
    }

    /** True when the position is a constant at most 0 (the start of the sequence after clamping). */
    public boolean isStart() {
        return !fromEnd && count instanceof Operand.Const c && index + (minus ? -1L : 1L) * c.value() <= 0;
    }

    /**
     * The position as an integer expression over {@code n}, each slot printed by {@code slot}:
     * {@code 4}, {@code n - 2}, {@code p0}, {@code 16 * ((n + 15) / 16 - 1)}.
     */
    public String text(Function<Operand, String> slot) {
        long constant = index;
        String operand = null;
        if (count instanceof Operand.Const c) {
            constant += minus ? -(long) c.value() : c.value();
        } else {
            operand = slot.apply(count);
        }
        List<String> terms = new ArrayList<>();
        if (fromEnd) {
            terms.add(unit == 1 ? "n" : "(n + " + (unit - 1) + ") / " + unit);
        }
        if (operand != null) {
            terms.add((minus ? "-" : "") + operand);
        }
        if (terms.isEmpty()) {
            return Long.toString(clampInt((long) unit * constant));
        }
        StringBuilder sb = new StringBuilder(terms.get(0));
        for (String t : terms.subList(1, terms.size())) {
            sb.append(t.startsWith("-") ? " - " + t.substring(1) : " + " + t);
        }
        if (constant != 0) {
            sb.append(constant < 0 ? " - " : " + ").append(Math.abs(constant));
        }
        String inner = sb.toString();
        if (unit == 1) {
            return inner;
        }
        return unit + " * (" + inner + ")";
    }

    /** The text with slots as {@code pK}, for the loop dump and the pair tests. */
    @Override
    public String toString() {
        return text(Operand::toString);
    }

    /** A constant position past {@code int}'s range is clamped (positions are clamped to {@code 0..n} anyway). */
    private static long clampInt(long v) {
        return Math.max(-Integer.MAX_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
