package dev.attnc.compiler.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.Param;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec in, printed IR out: each case is the source and the IR it must lower to. */
class IrBuilderTest {

    private static PatternIR only(String spec) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("t.attn", spec));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        return r.patterns().get(r.patterns().size() - 1);
    }

    private static String mask(String spec) {
        return IrPrinter.print(only(spec).mask());
    }

    @Test
    void tokenWindowFormsNormaliseToBeforeAndAfter() {
        assertEquals("(window before=256 after=256 dilation=1)", mask("pattern p { head_dim 64 window 256 }"));
        assertEquals(
                "(window before=256 after=256 dilation=1)", mask("pattern p { head_dim 64 window 256 each side }"));
        assertEquals("(window before=128 after=0 dilation=1)", mask("pattern p { head_dim 64 window 128 before }"));
        assertEquals("(window before=0 after=7 dilation=1)", mask("pattern p { head_dim 64 window 7 after }"));
        assertEquals(
                "(window before=3 after=5 dilation=2)",
                mask("pattern p { head_dim 64 window 5 after, 3 before dilation 2 }"));
    }

    @Test
    void blockWindowWithoutSideIsATotalWidth() {
        assertEquals(
                "(block-window block=64 before=1 after=1)", mask("pattern p { head_dim 64 block 64 window 3 blocks }"));
        assertEquals(
                "(block-window block=16 before=2 after=0)",
                mask("pattern p { head_dim 64 block 16 window 2 blocks before }"));
        assertEquals(
                "(block-window block=16 before=1 after=1)",
                mask("pattern p { head_dim 64 block 16 window 1 block each side }"));
    }

    @Test
    void statementsAreOneFlatUnionAndOperatorsBindAmpThenMinusThenPipe() {
        assertEquals("""
                (union
                  (causal)
                  (full)
                  (window before=1 after=1 dilation=1))""", mask("pattern p { head_dim 8 causal | full window 1 }"));
        assertEquals("""
                (union
                  (full)
                  (difference
                    (intersect
                      (causal)
                      (window before=4 after=4 dilation=1))
                    (window before=0 after=0 dilation=1)))""", mask("pattern p { head_dim 8 full | causal & window 4 - window 0 }"));
        assertEquals("""
                (intersect
                  (causal)
                  (union
                    (window before=4 after=4 dilation=1)
                    (full)))""", mask("pattern p { head_dim 8 causal & (window 4 | full) }"));
    }

    @Test
    void scopedOverridesApplyInSourceOrderToTheOwnWindow() {
        PatternIR p = only("""
                pattern p {
                  head_dim 64 heads 12 layers 4
                  window [32, 64, 128, 256] per layer
                  dilation 2 on heads 8..11
                  dilation 3 on heads 10..11 in layers 3
                  window 512 in layers 3
                }""");
        MaskExpr.Window w = (MaskExpr.Window) p.mask();
        assertEquals(32, w.before().at(0, 0));
        assertEquals(128, w.after().at(2, 5));
        assertEquals(512, w.before().at(3, 0));
        assertEquals(1, w.dilation().at(0, 7));
        assertEquals(2, w.dilation().at(0, 8));
        assertEquals(2, w.dilation().at(3, 9));
        assertEquals(3, w.dilation().at(3, 11));
        assertEquals(2, w.dilation().at(2, 11));
        assertEquals("[32,64,128,256]/layer{layers 3: 512}", w.before().toString());
        assertEquals("1{heads 8..11: 2; heads 10..11 layers 3: 3}", w.dilation().toString());
    }

    @Test
    void globalPartsKeepTheirUnitsAndSigns() {
        assertEquals(
                "(global (tokens 0..0) (tokens 5..9) (tokens -1..-1) (input))",
                mask("pattern p { head_dim 8 global tokens [0, 5..9, -1] and from input }"));
        assertEquals(
                "(global (first 2 block=64) (last 1 block=64) (blocks -2..-2 block=64) (first 3 tokens))",
                mask(
                        "pattern p { head_dim 8 block 64 global first 2 blocks, last 1 block, blocks [-2], first 3 tokens }"));
    }

    @Test
    void randomBlocksAvoidTheBlockWindowsAndBlockGlobalsOfTheirPattern() {
        assertEquals("""
                (union
                  (block-window block=64 before=1 after=1)
                  (global (first 1 block=64) (last 1 block=64) (tokens 3..3))
                  (random block=64 count=3 seed=42 exclude=[(block-window block=64 before=1 after=1) (first 1 block=64) (last 1 block=64)]))""", mask("""
                        pattern bigbird {
                          head_dim 64 block 64
                          window 3 blocks
                          global first 1 block, last 1 block, tokens [3]
                          random 3 blocks per row, seed 42
                        }"""));
    }

    @Test
    void aReusedPatternKeepsTheRandomExclusionsOfItsDeclaration() {
        String spec = """
                pattern r { head_dim 64 block 64 random 2 blocks, seed 1 }
                pattern u { head_dim 64 block 64 window 3 blocks | r }
                """;
        assertEquals("""
                (union
                  (block-window block=64 before=1 after=1)
                  (random block=64 count=2 seed=1 exclude=[]))""", mask(spec));
        String own = """
                pattern bb { head_dim 64 block 64 window 3 blocks random 2 blocks, seed 1 }
                pattern u { head_dim 64 block 64 bb | global first 1 block }
                """;
        assertEquals("""
                (union
                  (block-window block=64 before=1 after=1)
                  (random block=64 count=2 seed=1 exclude=[(block-window block=64 before=1 after=1)])
                  (global (first 1 block=64)))""", mask(own));
    }

    @Test
    void aOneSidedWindowOverrideChangesOnlyThatSide() {
        MaskExpr.Window w =
                (MaskExpr.Window) only("pattern p { head_dim 64 layers 4 window 256 window 512 before in layers 2..3 }")
                        .mask();
        assertEquals(512, w.before().at(2, 0));
        assertEquals(256, w.after().at(2, 0));
        assertEquals(256, w.before().at(1, 0));
        MaskExpr.Window both = (MaskExpr.Window)
                only("pattern p { head_dim 64 layers 4 window 256 window 8 before, 4 after in layers 0 }")
                        .mask();
        assertEquals(8, both.before().at(0, 0));
        assertEquals(4, both.after().at(0, 0));
    }

    @Test
    void referencesInlineTheUsedPatternWithItsOwnBlockSize() {
        String spec = """
                pattern bb { head_dim 64 block 32 window 3 blocks }
                pattern user { head_dim 64 block 8 bb & causal }
                """;
        assertEquals("""
                (intersect
                  (block-window block=32 before=1 after=1)
                  (causal))""", mask(spec));
    }

    @Test
    void headsAndLayersAreInheritedFromAUsedPattern() {
        PatternIR p = only("""
                pattern base { head_dim 64 heads 12 layers 2 window 8 dilation 2 on heads 0..1 }
                pattern user { head_dim 64 base | causal }
                """);
        assertEquals(12, p.heads().getAsInt());
        assertEquals(2, p.layers().getAsInt());
    }

    @Test
    void settingsAndAdditiveOptions() {
        PatternIR p =
                only("pattern f { head_dim 32 scale 0.5 dtype fp16, bf16 additive (value separate, pooling vector) }");
        assertEquals("""
                pattern f  ; t.attn:1:9
                  head_dim 32  scale 0.5  dtype fp16,bf16
                  (additive value=separate pooling=vector)
                """, IrPrinter.print(p));
        assertEquals(0.5, p.effectiveScale());
        PatternIR d = only("pattern f { head_dim 64 additive }");
        assertEquals(
                "(additive value=shared pooling=matrix)",
                IrPrinter.print(d).lines().skip(2).findFirst().orElseThrow().trim());
        assertEquals(0.125, only("pattern w { head_dim 64 full }").effectiveScale());
    }

    @Test
    void declarationTextIsKeptForGeneratedComments() {
        PatternIR p = only("// header\npattern gpt { head_dim 64\n  causal & window 128 before // local\n}\n");
        assertEquals("pattern gpt { head_dim 64\n  causal & window 128 before // local\n}", p.sourceText());
        assertEquals("t.attn:2:9", p.origin());
    }

    @Test
    void paramsResolvePerHeadLists() {
        Param p = Param.perHead(List.of(1, 1, 2, 2));
        assertEquals(2, p.at(5, 3));
        assertEquals(2, p.max());
        assertTrue(!p.isConstant());
    }
}
