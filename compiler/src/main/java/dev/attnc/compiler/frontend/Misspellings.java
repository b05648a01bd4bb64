package dev.attnc.compiler.frontend;

import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.compiler.source.Span;
import dev.attnc.grammar.AttnLexer;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * Syntax errors that are really a misspelt or foreign word, explained as such. A word the
 * lexer does not know is a name, so {@code windw 256} parses as a reference to a pattern
 * {@code windw} and fails on the number; the error belongs on the word: an unknown word with
 * the closest keyword (E016), or a word from another tool with the attnc spelling (E017) or
 * "not supported yet" (E018). {@code [4-7]} fails on the '-' where a range {@code 4..7} was
 * meant (E009).
 */
final class Misspellings {

    /** Token indices of the '-' of ranges reported as E009: the parser's recovery stumbles on the next number. */
    private final Set<Integer> rangeMinus = new HashSet<>();

    /** Token indices of the words reported as E016, E017 or E018: not to be reported again as names. */
    private final Set<Integer> words = new HashSet<>();

    /** True when the token at {@code index} was already reported as an unknown or foreign word. */
    boolean explainedWord(int index) {
        return words.contains(index);
    }

    /**
     * Reports a better diagnostic than "unexpected {@code offending}" when the tokens around
     * it are one of the cases above.
     *
     * @return true when it reported one (the caller then reports nothing for this error)
     */
    boolean explain(SourceFile source, TokenStream tokens, Token offending, Diagnostics diags) {
        int at = offending.getTokenIndex();
        if (at < 0) {
            return false;
        }
        Token prev = at >= 1 ? tokens.get(at - 1) : null;
        int type = offending.getType();
        if ((type == AttnLexer.INT || type == AttnLexer.FLOAT) && prev != null && prev.getType() == AttnLexer.IDENT) {
            Token beforeWord = at >= 2 ? tokens.get(at - 2) : null;
            if (beforeWord != null
                    && (beforeWord.getType() == AttnLexer.PATTERN || beforeWord.getType() == AttnLexer.DTYPE)) {
                return false;
            }
            if (declaredHere(tokens, prev.getText())) {
                return false; // a pattern of this file followed by a stray number: a plain syntax error
            }
            if (words.add(prev.getTokenIndex())) {
                reportWord(source, prev, Optional.of(offending), diags);
            }
            return true;
        }
        if (type == AttnLexer.INT
                && prev != null
                && prev.getType() == AttnLexer.MINUS
                && !rangeMinus.contains(prev.getTokenIndex())
                && at >= 2
                && tokens.get(at - 2).getType() == AttnLexer.INT) {
            // "window 4-7": the '-' parsed as a difference, whose right side cannot be a number.
            Token lo = tokens.get(at - 2);
            Span span = AstBuilder.span(source, lo).to(AstBuilder.span(source, offending));
            String a = lo.getText();
            String b = offending.getText();
            diags.report(DiagCode.E049, span, a, b, a, b, Math.max(safeInt(a), safeInt(b)), a, b);
            rangeMinus.add(prev.getTokenIndex());
            return true;
        }
        if (type == AttnLexer.INT && prev != null && rangeMinus.contains(prev.getTokenIndex())) {
            return true; // "4-7": the '-' was reported, and recovery read it as a difference
        }
        if (type == AttnLexer.MINUS
                && prev != null
                && prev.getType() == AttnLexer.INT
                && at + 1 < tokens.size()
                && tokens.get(at + 1).getType() == AttnLexer.INT) {
            Token hi = tokens.get(at + 1);
            Span span = AstBuilder.span(source, prev).to(AstBuilder.span(source, hi));
            diags.report(DiagCode.E009, span, prev.getText(), hi.getText());
            rangeMinus.add(at);
            return true;
        }
        return false;
    }

    /** True when the file declares {@code pattern name}. */
    private static boolean declaredHere(TokenStream tokens, String name) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).getType() == AttnLexer.PATTERN
                    && tokens.get(i + 1).getType() == AttnLexer.IDENT
                    && tokens.get(i + 1).getText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** E016, E017 or E018 on {@code word}, a name used where a setting or a mask term starts. */
    static void reportWord(SourceFile source, Token word, Optional<Token> number, Diagnostics diags) {
        String text = word.getText();
        Span span = AstBuilder.span(source, word);
        Optional<ForeignWords.Advice> advice = ForeignWords.lookup(text);
        if (advice.isPresent()) {
            OptionalLong n = number.filter(t -> t.getType() == AttnLexer.INT)
                    .filter(t -> t.getText().length() <= 12)
                    .map(t -> OptionalLong.of(Long.parseLong(t.getText())))
                    .orElse(OptionalLong.empty());
            diags.report(advice.get().code(), span, text, advice.get().text(n));
            return;
        }
        diags.report(DiagCode.E016, span, text, Suggestions.didYouMean(text, Suggestions.keywords()));
    }

    /** {@code text} as an int, or 0 when it does not fit (the number's own check reports it). */
    private static long safeInt(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
