package dev.attnc.compiler.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import org.junit.jupiter.api.Test;

/** The declaration text kept for generated comments ends at the pattern's own closing brace. */
class DeclarationTextTest {

    private static PatternIR only(String spec) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("t.attn", spec));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        return r.patterns().get(0);
    }

    @Test
    void bracesInCommentsDoNotEndTheDeclaration() {
        String decl = "pattern p {\n  head_dim 64 // the window } ends here\n  /* { */ full\n}";
        assertEquals(decl, only(decl + "\npattern q { head_dim 8 causal }\n").sourceText());
    }
}
