package dev.attnc.compiler.frontend;

import dev.attnc.grammar.AttnLexer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * "Did you mean": the closest of some known words to a word the compiler did not recognise,
 * by Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
 * substitutions and swaps of two neighbouring characters each cost 1), allowed to grow with
 * the word's length ({@link #threshold}) so that short words are not matched to anything.
 */
public final class Suggestions {

    /** The words of the language, from the lexer's vocabulary (so they cannot drift from the grammar). */
    private static final List<String> KEYWORDS = keywordsOfLexer();

    private Suggestions() {}

    /** Every keyword of the language ({@code window}, {@code before}, {@code head_dim}, …). */
    public static List<String> keywords() {
        return KEYWORDS;
    }

    /**
     * The largest distance at which {@code word} still gets a suggestion: 0 for words of at
     * most 2 characters, 1 up to 5 characters, 2 from 6 characters on.
     */
    public static int threshold(String word) {
        int n = word.length();
        return n <= 2 ? 0 : n <= 5 ? 1 : 2;
    }

    /**
     * The candidate closest to {@code word} within {@link #threshold}, ties broken by the
     * alphabetically first; empty when none is close enough or {@code word} is itself a
     * candidate.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        int limit = threshold(word);
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDist || (d == bestDist && best != null && c.compareTo(best) < 0)) {
                best = c;
                bestDist = d;
            }
        }
        return best != null && bestDist > 0 && bestDist <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} for the closest candidate, or {@code ""}. */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /** The optimal-string-alignment distance between {@code a} and {@code b}. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }

    private static List<String> keywordsOfLexer() {
        List<String> words = new ArrayList<>();
        for (int t = 1; t <= AttnLexer.VOCABULARY.getMaxTokenType(); t++) {
            String lit = AttnLexer.VOCABULARY.getLiteralName(t);
            if (lit != null && lit.length() > 2 && Character.isLetter(lit.charAt(1))) {
                words.add(lit.substring(1, lit.length() - 1));
            }
        }
        return Collections.unmodifiableList(words);
    }
}
