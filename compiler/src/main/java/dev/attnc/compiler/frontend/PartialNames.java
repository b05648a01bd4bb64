package dev.attnc.compiler.frontend;

import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.grammar.AttnLexer;
import dev.attnc.grammar.AttnParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Name checks on a file with syntax errors, so that one round shows both: the pattern
 * references that parsed are checked against the pattern names the file declares (every
 * name after {@code pattern} in the token stream, so a pattern whose body broke still
 * counts), with the same messages as {@link NameResolver} (E011 with a suggestion, E017,
 * E018). Files with imports are skipped, since their imports are not loaded after a syntax
 * error; duplicates and cycles are left to the round after the syntax is fixed.
 */
final class PartialNames {

    private PartialNames() {}

    static void check(
            SourceFile source,
            List<Token> tokens,
            AttnParser.FileContext tree,
            Misspellings misspellings,
            Diagnostics diags) {
        Set<String> declared = new HashSet<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).getType() == AttnLexer.IMPORT) {
                return;
            }
            if (tokens.get(i).getType() == AttnLexer.PATTERN
                    && tokens.get(i + 1).getType() == AttnLexer.IDENT) {
                declared.add(tokens.get(i + 1).getText());
            }
        }
        Deque<ParseTree> todo = new ArrayDeque<>();
        todo.push(tree);
        List<Token> refs = new ArrayList<>();
        while (!todo.isEmpty()) {
            ParseTree t = todo.pop();
            if (t instanceof AttnParser.PatternRefContext ref
                    && ref.ident() != null
                    && ref.ident().IDENT() != null) {
                refs.add(ref.ident().IDENT().getSymbol());
            }
            if (t instanceof ParserRuleContext ctx) {
                for (int i = ctx.getChildCount() - 1; i >= 0; i--) {
                    todo.push(ctx.getChild(i));
                }
            }
        }
        for (Token word : refs) {
            if (word.getTokenIndex() < 0
                    || misspellings.explainedWord(word.getTokenIndex())
                    || declared.contains(word.getText())) {
                continue;
            }
            NameResolver.reportUnknown(word.getText(), AstBuilder.span(source, word), declared, diags);
        }
    }
}
