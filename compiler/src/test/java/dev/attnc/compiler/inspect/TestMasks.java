package dev.attnc.compiler.inspect;

import java.util.function.BiFunction;

/** Masks written as rows of {@link TermKind#symbol()} characters, {@code .} for not attended. */
public final class TestMasks {

    private TestMasks() {}

    public static KindMask of(String... rows) {
        int n = rows.length;
        TermKind[][] cells = new TermKind[n][n];
        for (int q = 0; q < n; q++) {
            if (rows[q].length() != n) {
                throw new IllegalArgumentException("row " + q + " has " + rows[q].length() + " cells, not " + n);
            }
            for (int k = 0; k < n; k++) {
                cells[q][k] = kind(rows[q].charAt(k));
            }
        }
        return new KindMask() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public TermKind at(int query, int key) {
                return cells[query][key];
            }
        };
    }

    /** A mask computed by a function, for sizes too large to write out. */
    public static KindMask of(int n, BiFunction<Integer, Integer, TermKind> f) {
        return new KindMask() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public TermKind at(int query, int key) {
                return f.apply(query, key);
            }
        };
    }

    private static TermKind kind(char c) {
        if (c == TermKind.NOT_ATTENDED) {
            return null;
        }
        for (TermKind k : TermKind.values()) {
            if (k.symbol() == c) {
                return k;
            }
        }
        throw new IllegalArgumentException("no kind is drawn as '" + c + "'");
    }
}
