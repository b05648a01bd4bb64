package dev.attnc.compiler.ir;

/** An inclusive range of head or layer indices. */
public record IntRange(int from, int to) {
    public IntRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range " + from + ".." + to);
        }
    }

    public boolean contains(int i) {
        return i >= from && i <= to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + ".." + to;
    }
}
