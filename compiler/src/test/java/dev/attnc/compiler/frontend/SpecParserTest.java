package dev.attnc.compiler.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.GlobalItem;
import dev.attnc.compiler.ast.ScopedOverride;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import org.junit.jupiter.api.Test;

/** The parse stage on its own: spans of AST nodes, and the shape of syntax errors. */
class SpecParserTest {

    private static FileAst parse(String text, Diagnostics d) {
        return SpecParser.parse(SourceFile.ofString("s.attn", text), d);
    }

    @Test
    void spansPointAtTheTokens() {
        Diagnostics d = new Diagnostics();
        FileAst f = parse("import \"x.attn\"\npattern p {\n  head_dim 64\n  window 256 | global tokens [-1]\n}\n", d);
        assertNotNull(f, d.render());
        assertEquals("x.attn", f.imports().get(0).path());
        assertEquals("s.attn:1:8", f.imports().get(0).span().location());
        assertEquals("s.attn:2:9", f.patterns().get(0).name().span().location());
        Expr.Union u = (Expr.Union) f.patterns().get(0).statements().get(0);
        assertEquals("s.attn:4:14", u.span().location());
        assertEquals("s.attn:4:3", u.left().span().location());
        assertEquals(10, u.left().span().length());
        GlobalItem.Tokens t =
                (GlobalItem.Tokens) ((Expr.Global) u.right()).items().get(0);
        assertEquals(-1, t.indices().get(0).from());
        assertEquals("s.attn:4:31", t.indices().get(0).span().location());
    }

    @Test
    void dilationAfterAWindowIsAnOverrideOnlyWhenScoped() {
        Diagnostics d = new Diagnostics();
        FileAst f =
                parse("pattern p { head_dim 64 heads 12 window 256 dilation 2 on heads 8..11 window 4 dilation 3 }", d);
        assertNotNull(f, d.render());
        var p = f.patterns().get(0);
        assertEquals(2, p.statements().size());
        Expr.Window first = (Expr.Window) p.statements().get(0);
        assertEquals(true, first.dilation().isEmpty());
        Expr.Window second = (Expr.Window) p.statements().get(1);
        assertEquals(true, second.dilation().isPresent());
        ScopedOverride.Dilation o = (ScopedOverride.Dilation) p.overrides().get(0);
        assertEquals(8, o.scope().heads().get(0).from());
        assertEquals(11, o.scope().heads().get(0).to());
    }

    @Test
    void syntaxErrorsNameWhatWasExpected() {
        Diagnostics d = new Diagnostics();
        assertNull(parse("pattern p { head_dim }", d));
        assertEquals("""
                s.attn:1:22: error[E005]: syntax error: expected a number before '}'
                    pattern p { head_dim }
                                         ^
                """, d.render());
    }

    @Test
    void everySyntaxErrorIsReported() {
        Diagnostics d = new Diagnostics();
        assertNull(parse("pattern p { head_dim 64 window }\npattern q { causal & }\npattern r { $ }", d));
        assertEquals(3, d.errorCount(), d.render());
    }

    @Test
    void hugeNumbersAreClampedAndReported() {
        Diagnostics d = new Diagnostics();
        parse("pattern p { head_dim 99999999999999999999999 }", d);
        assertEquals(
                "s.attn:1:22: error[E007]: number 99999999999999999999999 is too large (the limit is 1073741824)",
                d.sorted().get(0).toString());
    }
}
