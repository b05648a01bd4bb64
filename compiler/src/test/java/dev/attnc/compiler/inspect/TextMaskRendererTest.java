package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextMaskRendererTest {

    @Test
    void printsTitleRowsAndLegendOfTheKindsPresent() {
        KindMask mask = TestMasks.of("gggg", "gw..", "gww.", "g.ww");
        String text = TextMaskRenderer.render(new MaskPicture("tiny", 1, 2, mask));
        assertEquals("""
                tiny · n = 4 · layer 1, head 2 · density 75.00% (12 of 16 pairs)
                gggg
                gw..
                gww.
                g.ww
                g global   w window   . not attended
                """, text);
    }

    @Test
    void emptyMaskHasOnlyTheBlankInItsLegend() {
        String text = TextMaskRenderer.render(new MaskPicture("none", 0, 0, TestMasks.of("..", "..")));
        assertEquals("""
                none · n = 2 · layer 0, head 0 · density 0.00% (0 of 4 pairs)
                ..
                ..
                . not attended
                """, text);
    }

    @Test
    void refusesMoreThan256Tokens() {
        KindMask big = TestMasks.of(TextMaskRenderer.MAX_N + 1, (q, k) -> null);
        assertThrows(IllegalArgumentException.class, () -> TextMaskRenderer.render(new MaskPicture("big", 0, 0, big)));
    }
}
