package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.compiler.source.Span;
import dev.attnc.grammar.AttnLexer;
import dev.attnc.grammar.AttnParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Stage 1 of the front end: text to AST. Lexes, refuses pathological nesting before the
 * recursive-descent parser can overflow its stack, parses with ANTLR's error recovery (so
 * that every syntax error is reported), then builds the AST. Syntax errors keep the AST
 * builder from running: a partial tree would only produce follow-on noise.
 */
public final class SpecParser {

    /** Deeper parenthesis nesting than this is refused with E006. */
    public static final int MAX_NESTING = 64;

    private SpecParser() {}

    /** The AST of {@code source}, or {@code null} when it has syntax errors (all reported). */
    public static FileAst parse(SourceFile source, Diagnostics diags) {
        return parse(source, diags, false);
    }

    /**
     * As {@link #parse(SourceFile, Diagnostics)} for the file being compiled, which in addition
     * checks the pattern references of a file with syntax errors against the patterns it
     * declares ({@link PartialNames}), so that one round reports syntax and name errors.
     */
    public static FileAst parseRoot(SourceFile source, Diagnostics diags) {
        return parse(source, diags, true);
    }

    private static FileAst parse(SourceFile source, Diagnostics diags, boolean namesOnError) {
        int before = diags.errorCount();
        AttnLexer lexer = new AttnLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new Listener(source, diags, new Misspellings()));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!checkNesting(source, tokens.getTokens(), diags)) {
            return null;
        }
        AttnParser parser = new AttnParser(tokens);
        parser.removeErrorListeners();
        Misspellings misspellings = new Misspellings();
        parser.addErrorListener(new Listener(source, diags, misspellings));
        AttnParser.FileContext tree = parser.file();
        if (diags.errorCount() > before) {
            if (namesOnError) {
                PartialNames.check(source, tokens.getTokens(), tree, misspellings, diags);
            }
            return null;
        }
        return new AstBuilder(source, diags).build(tree);
    }

    private static boolean checkNesting(SourceFile source, List<Token> tokens, Diagnostics diags) {
        int depth = 0;
        for (Token t : tokens) {
            if (t.getType() == AttnLexer.LPAREN) {
                depth++;
                if (depth > MAX_NESTING) {
                    diags.report(DiagCode.E006, AstBuilder.span(source, t), MAX_NESTING);
                    return false;
                }
            } else if (t.getType() == AttnLexer.RPAREN) {
                depth = Math.max(0, depth - 1);
            }
        }
        return true;
    }

    /** Turns ANTLR's reports into attnc diagnostics with readable token names. */
    private static final class Listener extends BaseErrorListener {
        private final SourceFile source;
        private final Diagnostics diags;
        private final Misspellings misspellings;

        Listener(SourceFile source, Diagnostics diags, Misspellings misspellings) {
            this.source = source;
            this.diags = diags;
            this.misspellings = misspellings;
        }

        @Override
        public void syntaxError(
                Recognizer<?, ?> recognizer,
                Object offending,
                int line,
                int charPositionInLine,
                String msg,
                RecognitionException e) {
            int col = charPositionInLine + 1;
            if (!(recognizer instanceof Parser parser)) {
                // Lexer: "token recognition error at: 'x'"
                String bad = msg.replaceFirst("^token recognition error at: ", "");
                diags.report(DiagCode.E004, new Span(source, Math.max(1, line), col, 1), describeChar(bad));
                return;
            }
            Token tok = (Token) offending;
            if (tok != null && misspellings.explain(source, parser.getInputStream(), tok, diags)) {
                return;
            }
            Span span = tok == null ? new Span(source, Math.max(1, line), col, 1) : AstBuilder.span(source, tok);
            String found = tok == null ? "input" : describe(tok);
            String message;
            if (tok != null && (tok.getType() == AttnLexer.ALIBI || tok.getType() == AttnLexer.SOFTCAP)) {
                // 'causal & alibi': a modifier written as a mask term.
                message = "unexpected " + found + ": score modifiers are settings, not mask terms; write '"
                        + tok.getText() + (tok.getType() == AttnLexer.SOFTCAP ? " C" : "")
                        + "' as a statement of its own beside the mask";
            } else if (e instanceof NoViableAltException nva
                    && tok != null
                    && nva.getStartToken().getType() == AttnLexer.SCALE
                    && nva.getStartToken().getTokenIndex() + 1 == tok.getTokenIndex()) {
                // 'scale' followed by neither of its two forms
                message = "unexpected " + found + "; expected a number or a per-head list '[s0, s1, ...] per head'";
            } else if (msg.startsWith("missing ")) {
                IntervalSet expected = parser.getExpectedTokens();
                message = "expected " + expectedText(expected, parser.getVocabulary()) + " before " + found;
            } else if (e instanceof NoViableAltException nva
                    && tok != null
                    && nva.getStartToken().getTokenIndex() < tok.getTokenIndex()) {
                // The statement started well and broke in the middle: say where it started.
                message = "unexpected " + found + " after '" + startText(nva, tok) + "'";
            } else {
                IntervalSet expected =
                        e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
                message = "unexpected " + found + "; expected " + expectedText(expected, parser.getVocabulary());
                Token previous = parser.getInputStream().LT(-1);
                if (previous != null && previous.getType() == AttnLexer.SEGMENTS) {
                    message += ": segment ids come from the run-time input segment_ids, write 'segments from input'";
                }
            }
            diags.report(DiagCode.E005, span, message);
        }

        /** The tokens from the start of the failed statement to just before the offending one. */
        private static String startText(NoViableAltException e, Token offending) {
            org.antlr.v4.runtime.TokenStream ts = (org.antlr.v4.runtime.TokenStream) e.getInputStream();
            StringBuilder sb = new StringBuilder();
            for (int i = e.getStartToken().getTokenIndex(); i < offending.getTokenIndex(); i++) {
                Token t = ts.get(i);
                if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                    sb.append(sb.length() > 0 ? " " : "").append(t.getText());
                }
            }
            String text = sb.toString();
            return text.length() <= 40 ? text : "…" + text.substring(text.length() - 39);
        }

        private static String describe(Token t) {
            if (t.getType() == Token.EOF) {
                return "end of file";
            }
            String text = t.getText();
            if (t.getType() == AttnLexer.IDENT) {
                return "name '" + text + "'";
            }
            if (t.getType() == AttnLexer.INT || t.getType() == AttnLexer.FLOAT) {
                return "number " + text;
            }
            if (t.getType() == AttnLexer.STRING) {
                return "string " + text;
            }
            return "'" + text + "'";
        }

        private static String describeChar(String quoted) {
            String s = quoted.startsWith("'") && quoted.endsWith("'") && quoted.length() >= 2
                    ? quoted.substring(1, quoted.length() - 1)
                    : quoted;
            if (s.length() == 1 || (s.length() == 2 && Character.isSurrogatePair(s.charAt(0), s.charAt(1)))) {
                int cp = s.codePointAt(0);
                return cp < 0x20 || cp == 0x7f || cp > 0x7e ? String.format("U+%04X", cp) : "'" + s + "'";
            }
            return "'" + s + "'";
        }
    }

    /**
     * {@code 'window', 'causal' or a name}: at most eight choices, then "…", except where a mask
     * term starts (every term keyword and "a name").
     */
    static String expectedText(IntervalSet set, Vocabulary vocab) {
        if (set.contains(AttnLexer.HEAD_DIM) && set.contains(AttnLexer.WINDOW)) {
            // The start of a statement: naming all twenty starters helps nobody.
            return set.contains(AttnLexer.RBRACE) ? "a setting, a mask term or '}'" : "a setting or a mask term";
        }
        if (set.contains(AttnLexer.PATTERN) && set.contains(Token.EOF)) {
            return set.contains(AttnLexer.IMPORT) ? "'import', 'pattern' or end of file" : "'pattern' or end of file";
        }
        List<String> names = new ArrayList<>();
        for (int type : set.toList()) {
            String name = tokenName(type, vocab);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            return "something else";
        }
        names.sort((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
        boolean termStart = set.contains(AttnLexer.CAUSAL) && set.contains(AttnLexer.WINDOW);
        if (names.size() > 8 && !termStart) { // where a term starts, every term is named
            names = new ArrayList<>(names.subList(0, 8));
            names.add("…");
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static int rank(String name) {
        return name.startsWith("'") ? (Character.isLetter(name.charAt(1)) ? 1 : 0) : 2;
    }

    private static String tokenName(int type, Vocabulary vocab) {
        if (type == Token.EOF) {
            return "end of file";
        }
        return switch (type) {
            case AttnLexer.IDENT -> "a name";
            case AttnLexer.INT -> "a number";
            case AttnLexer.FLOAT -> "a number"; // INT or FLOAT: one choice for the reader
            case AttnLexer.STRING -> "a string";
            default -> {
                String lit = vocab.getLiteralName(type);
                yield lit != null ? lit : vocab.getDisplayName(type);
            }
        };
    }
}
