package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgMaskWriterTest {

    /** BigBird-like: global block 0 (tokens 0-1), a 3-block window, one random block per row. */
    private static final KindMask BIGBIRD = TestMasks.of(
            "gggggggg", "gggggggg", "ggbbbbrr", "ggbbbbrr", "ggrrbbbb", "ggrrbbbb", "gg..bbbb", "gg..bbbb");

    @Test
    void isAnSvgDocumentWithSizeAndViewBox() throws Exception {
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("bb", 0, 0, BIGBIRD)));
        int w = Integer.parseInt(svg.root.getAttribute("width"));
        int h = Integer.parseInt(svg.root.getAttribute("height"));
        assertTrue(w >= 512 && h >= 512, w + "x" + h);
        assertEquals("0 0 " + w + " " + h, svg.root.getAttribute("viewBox"));
    }

    @Test
    void titleNamesPatternLengthLayerHeadAndDensity() throws Exception {
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("bigbird_like", 3, 5, BIGBIRD)));
        assertEquals("bigbird_like", svg.text("title"));
        String details = "bigbird_like · n = 8 · layer 3, head 5 · density 93.75% (60 of 64 pairs)";
        assertEquals(details, svg.text("details"));
        assertEquals(details, svg.title());
        assertNull(svg.byId("note"), "an exact picture needs no note");
    }

    @Test
    void legendHasExactlyTheKindsPresentInPriorityOrder() throws Exception {
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("bb", 0, 0, BIGBIRD)));
        assertEquals(List.of("GLOBAL", "BLOCK_WINDOW", "RANDOM"), svg.legendKinds());

        KindMask local = TestMasks.of("cc.", ".cw", "..w");
        assertEquals(
                List.of("WINDOW", "CAUSAL"),
                SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("l", 0, 0, local)))
                        .legendKinds());
    }

    @Test
    void cellsDrawnAreExactlyTheAttendedPairsInTheirKindsColour() throws Exception {
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("bb", 0, 0, BIGBIRD)));
        assertEquals(1, svg.tokensPerCell());
        String[][] grid = svg.raster(8);
        for (int q = 0; q < 8; q++) {
            for (int k = 0; k < 8; k++) {
                TermKind kind = BIGBIRD.at(q, k);
                assertEquals(kind == null ? null : kind.colour(), grid[q][k], "cell " + q + "," + k);
            }
        }
        Map<String, Long> expected = new HashMap<>();
        expected.put(TermKind.GLOBAL.colour(), 28L);
        expected.put(TermKind.BLOCK_WINDOW.colour(), 24L);
        expected.put(TermKind.RANDOM.colour(), 8L);
        assertEquals(expected, svg.areaByColour());
    }

    @Test
    void windowGlobalAndRandomHaveDistinctColoursInCellsAndLegend() throws Exception {
        KindMask mask = TestMasks.of("gggg", "gw.r", "gww.", "gr.w");
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("m", 0, 0, mask)));
        Map<String, String> legend = svg.legendColours();
        assertEquals(3, legend.size());
        assertEquals(3, Map.copyOf(legend).values().stream().distinct().count(), legend.toString());
        assertEquals(new HashSet<>(legend.values()), svg.cellColours());
    }

    @Test
    void runsAndEqualRowsAreMergedIntoFewRects() throws Exception {
        KindMask full = TestMasks.of(300, (q, k) -> TermKind.FULL);
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("dense", 0, 0, full)));
        assertEquals(1, svg.cellRects().size());
        assertEquals(Map.of(TermKind.FULL.colour(), 90_000L), svg.areaByColour());
    }

    @Test
    void largeMasksAreDownsampledAndSaySo() throws Exception {
        int n = 1000;
        KindMask window = TestMasks.of(
                n, (q, k) -> Math.abs(q - k) <= 3 ? TermKind.WINDOW : k == 0 || q == 0 ? TermKind.GLOBAL : null);
        String text = SvgMaskWriter.render(new MaskPicture("lf", 0, 0, window));
        SvgDoc svg = SvgDoc.parse(text);
        assertEquals(2, svg.tokensPerCell());
        assertNotNull(svg.byId("note"));
        assertTrue(svg.text("note").startsWith("each cell is 2×2 pairs"), svg.text("note"));
        assertTrue(svg.title().contains("each cell is 2×2 pairs"), svg.title());
        String[][] grid = svg.raster(500);
        for (int c = 0; c < 500; c++) {
            assertEquals(TermKind.WINDOW.colour(), grid[c][c], "diagonal cell " + c);
        }
        for (int c = 3; c < 500; c++) {
            assertEquals(TermKind.GLOBAL.colour(), grid[0][c], "first row, cell " + c);
            assertEquals(TermKind.GLOBAL.colour(), grid[c][0], "first column, cell " + c);
        }
        assertNull(grid[250][10]);
        assertTrue(text.length() < 200_000, "file size " + text.length());
    }

    @Test
    void aFourThousandTokenPictureStaysSmall() {
        int n = SvgMaskWriter.MAX_N;
        KindMask dilated =
                TestMasks.of(n, (q, k) -> Math.abs(q - k) <= 512 && (q - k) % 2 == 0 ? TermKind.WINDOW : null);
        String text = SvgMaskWriter.render(new MaskPicture("dilated", 0, 0, dilated));
        assertTrue(text.length() < 1_000_000, "file size " + text.length());
        assertFalse(text.contains("NaN"));
    }

    @Test
    void blockPatternsGetABlockGridOutsideTheCells() throws Exception {
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("bb", 0, 0, BIGBIRD, 2)));
        org.w3c.dom.Element grid = svg.byId("block-grid");
        assertNotNull(grid);
        assertEquals("2", grid.getAttribute("data-block"));
        assertEquals(6, grid.getElementsByTagNameNS(SvgDoc.SVG_NS, "line").getLength(), "3 vertical, 3 horizontal");
        assertEquals(List.of("GLOBAL", "BLOCK_WINDOW", "RANDOM"), svg.legendKinds());
        assertNull(SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("bb", 0, 0, BIGBIRD)))
                .byId("block-grid"));
    }

    @Test
    void thinStructuresStayVisibleWhenCellsAreMerged() throws Exception {
        // n = 1030 > EXACT_MAX_N: 3×3 pairs per cell. Row 0 is global (3 pairs in 9 of each
        // top cell, as a merged run), the diagonal a window of one key (3 pairs in 9).
        int n = 1030;
        KindMask m = new KindMask() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public TermKind at(int q, int k) {
                return q == 0 ? TermKind.GLOBAL : q == k ? TermKind.WINDOW : null;
            }
        };
        SvgDoc svg = SvgDoc.parse(SvgMaskWriter.render(new MaskPicture("thin", 0, 0, m)));
        assertEquals(3, svg.tokensPerCell());
        double globalOpacity = -1;
        double diagonalOpacity = -1;
        for (org.w3c.dom.Element r : svg.cellRects()) {
            String o = r.getAttribute("fill-opacity");
            double opacity = o.isEmpty() ? 1 : Double.parseDouble(o);
            int x = SvgDoc.attr(r, "x");
            int y = SvgDoc.attr(r, "y");
            if (y == 0
                    && x + SvgDoc.attr(r, "width") > 5
                    && r.getAttribute("fill").equals(TermKind.GLOBAL.colour())) {
                globalOpacity = opacity;
            } else if (y == 100 && x == 100) {
                diagonalOpacity = opacity;
            }
        }
        assertEquals(
                0.4 + 0.6 * 3 / 9, globalOpacity, 0.05 + 1e-9, "three pairs in nine: 40% floor plus a third of 60%");
        assertEquals(0.4 + 0.6 * 3 / 9, diagonalOpacity, 0.05 + 1e-9, "three pairs in nine");
    }
}
