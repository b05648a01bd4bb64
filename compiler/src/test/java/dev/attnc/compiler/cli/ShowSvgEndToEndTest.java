package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.inspect.SvgDoc;
import dev.attnc.compiler.inspect.TermKind;
import dev.attnc.compiler.interp.DenseMask;
import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.ir.MaskBindings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attnc show --svg} on a real BigBird-like spec: the picture, read back as an SVG
 * document, has every attended pair in the colour of its kind and nothing else.
 */
class ShowSvgEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void bigbirdPictureMatchesTheInterpreterCellByCell() throws Exception {
        Path spec = dir.resolve("bb.attn");
        Files.writeString(spec, """
                pattern bb { head_dim 8 block 4 window 3 blocks global first 1 block, last 1 block
                             random 2 blocks per row, seed 42 }
                """);
        Path svg = dir.resolve("bb.svg");
        int n = 37;
        attnc("show", spec.toString(), "--n", Integer.toString(n), "--svg", svg.toString())
                .exits(0)
                .noStackTrace();

        SvgDoc doc = SvgDoc.parse(svg);
        assertEquals(1, doc.tokensPerCell());
        assertEquals(List.of("GLOBAL", "BLOCK_WINDOW", "RANDOM"), doc.legendKinds());
        DenseMask m = MaskInterpreter.evaluate(
                Pipeline.compileFile(spec, "bb.attn").unit().orElseThrow(), "bb", MaskBindings.of(n));
        String[][] grid = doc.raster(n);
        long drawn = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                TermKind k = TermKind.dominant(m.kinds(i, j));
                assertEquals(k == null ? null : k.colour(), grid[i][j], "cell " + i + "," + j);
                drawn += grid[i][j] == null ? 0 : 1;
            }
        }
        assertEquals(m.count(), drawn);
        assertTrue(doc.title().startsWith("bb · n = 37 · layer 0, head 0 · density "), doc.title());
    }
}
