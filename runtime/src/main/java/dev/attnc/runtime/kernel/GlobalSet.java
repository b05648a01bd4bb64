package dev.attnc.runtime.kernel;

import java.util.Arrays;

/**
 * A set of token (or block) indices of a sequence of length {@code n}: the static parts of a
 * {@code global} term resolved against {@code n}, plus a runtime {@code global_mask}. Stored
 * as membership flags, sorted disjoint runs and prefix counts. Immutable once built.
 *
 * <p>Rules (docs/DESIGN.md §3, docs/LANGUAGE.md): a negative index {@code x} means {@code size + x}
 * (size = {@code n} for tokens, {@code nb = ceil(n/block)} for blocks); every part is clipped
 * to the sequence.
 */
public final class GlobalSet {

    private final int n;
    private final boolean[] member;
    private final int[] runs; // start0, end0 (inclusive), start1, end1, …
    private final int[] prefix; // prefix[i] = members below i

    private GlobalSet(boolean[] member) {
        this.n = member.length;
        this.member = member;
        this.prefix = new int[n + 1];
        int count = 0;
        int[] r = new int[8];
        int used = 0;
        for (int i = 0; i < n; i++) {
            prefix[i] = count;
            if (member[i]) {
                count++;
                if (i == 0 || !member[i - 1]) {
                    if (used + 2 > r.length) {
                        r = Arrays.copyOf(r, r.length * 2);
                    }
                    r[used++] = i;
                    r[used++] = i;
                } else {
                    r[used - 1] = i;
                }
            }
        }
        prefix[n] = count;
        this.runs = Arrays.copyOf(r, used);
    }

    public static Builder builder(int n) {
        return new Builder(n);
    }

    public int n() {
        return n;
    }

    public boolean contains(int i) {
        return i >= 0 && i < n && member[i];
    }

    public boolean isEmpty() {
        return runs.length == 0;
    }

    public int size() {
        return prefix[n];
    }

    public int runCount() {
        return runs.length / 2;
    }

    public int runStart(int k) {
        return runs[2 * k];
    }

    /** Inclusive. */
    public int runEnd(int k) {
        return runs[2 * k + 1];
    }

    /** How many of the rows {@code first + stride·t}, {@code t < count} are in the set. */
    public int countIn(int first, int stride, int count) {
        if (stride == 1) {
            return prefix[first + count] - prefix[first];
        }
        int c = 0;
        for (int t = 0, i = first; t < count; t++, i += stride) {
            if (member[i]) {
                c++;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k < runCount(); k++) {
            sb.append(k > 0 ? ", " : "").append(runStart(k));
            if (runEnd(k) > runStart(k)) {
                sb.append("..").append(runEnd(k));
            }
        }
        return sb.append('}').toString();
    }

    /** Adds parts; {@link #build()} freezes them. Not thread-safe (one per binding). */
    public static final class Builder {
        private final int n;
        private final boolean[] member;

        private Builder(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n must be >= 0, got " + n);
            }
            this.n = n;
            this.member = new boolean[n];
        }

        /** Tokens {@code from..to} inclusive; negative counts from the end. */
        public Builder tokens(long from, long to) {
            return mark(resolve(from, n), resolve(to, n) + 1);
        }

        /** Blocks {@code from..to} inclusive of {@code block} tokens; negative counts from the last block. */
        public Builder blocks(int block, long from, long to) {
            long nb = (n + (long) block - 1) / block;
            long a = resolve(from, nb);
            long b = resolve(to, nb);
            return mark(Math.max(0, a) * block, (b + 1) * block);
        }

        /** The first {@code count} blocks of {@code block} tokens, or tokens when {@code block == 0}. */
        public Builder first(int block, int count) {
            return mark(0, block == 0 ? count : (long) count * block);
        }

        /** The last {@code count} blocks of {@code block} tokens, or tokens when {@code block == 0}. */
        public Builder last(int block, int count) {
            if (block == 0) {
                return mark((long) n - count, n);
            }
            long nb = (n + (long) block - 1) / block;
            return mark((nb - count) * block, n);
        }

        /** Token {@code t} is in when {@code mask[offset + t]}. */
        public Builder mask(boolean[] mask, int offset) {
            for (int t = 0; t < n; t++) {
                if (mask[offset + t]) {
                    member[t] = true;
                }
            }
            return this;
        }

        public GlobalSet build() {
            return new GlobalSet(member.clone());
        }

        private static long resolve(long index, long size) {
            return index < 0 ? size + index : index;
        }

        private Builder mark(long from, long to) {
            for (long t = Math.max(0, from); t < to && t < n; t++) {
                member[(int) t] = true;
            }
            return this;
        }
    }
}
