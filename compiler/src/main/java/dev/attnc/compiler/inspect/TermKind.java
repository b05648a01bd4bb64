package dev.attnc.compiler.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of primitive term a picture of a mask tells apart, each with its text
 * character and its colour (the Okabe–Ito palette, readable by colour-blind readers).
 *
 * <p>Declaration order is drawing priority: when several kinds contribute to one
 * (query, key) pair, the cell shows the first of them. Global comes first so that global
 * rows and columns read as whole lines, as in the Longformer and BigBird figures, then key
 * and query sets (sink columns, a prefix block) for the same reason.
 */
public enum TermKind {
    GLOBAL("global", 'g', "#D55E00"),
    TOKEN_SET("keys/queries set", 's', "#E69F00"),
    WINDOW("window", 'w', "#0072B2"),
    BLOCK_WINDOW("block window", 'b', "#56B4E9"),
    RANDOM("random", 'r', "#009E73"),
    CAUSAL("causal", 'c', "#CC79A7"),
    FULL("full", 'f', "#7F7F7F"),
    SEGMENTS("segments", 'd', "#000000");

    /** The character of a pair no term attends, in text pictures. */
    public static final char NOT_ATTENDED = '.';

    private static final TermKind[] ALL = values();

    private final String label;
    private final char symbol;
    private final String colour;

    TermKind(String label, char symbol, String colour) {
        this.label = label;
        this.symbol = symbol;
        this.colour = colour;
    }

    public String label() {
        return label;
    }

    public char symbol() {
        return symbol;
    }

    /** {@code #RRGGBB}. */
    public String colour() {
        return colour;
    }

    /** This kind's bit in a kind set. */
    public int bit() {
        return 1 << ordinal();
    }

    /** The kind a pair with the kind set {@code bits} is drawn as, or null when {@code bits == 0}. */
    public static TermKind dominant(int bits) {
        if (bits == 0) {
            return null;
        }
        return ALL[Integer.numberOfTrailingZeros(bits)];
    }

    /** The kinds in {@code bits}, in priority order. */
    public static List<TermKind> in(int bits) {
        List<TermKind> kinds = new ArrayList<>();
        for (TermKind k : ALL) {
            if ((bits & k.bit()) != 0) {
                kinds.add(k);
            }
        }
        return kinds;
    }
}
