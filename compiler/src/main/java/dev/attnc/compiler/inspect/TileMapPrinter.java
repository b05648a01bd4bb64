package dev.attnc.compiler.inspect;

import java.util.Arrays;
import java.util.Locale;

/** A tile map as text: one line per query tile, {@code #} full, {@code +} partial, {@code .} empty. */
public final class TileMapPrinter {

    private TileMapPrinter() {}

    public static String print(TileMap map) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "tiles %dx%d at n=%d: %d pairs (%.2f%%), %d full, %d partial%n",
                map.queryTile(),
                map.keyTile(),
                map.n(),
                map.pairs(),
                100 * map.density(),
                map.tiles(TileClass.FULL),
                map.tiles(TileClass.PARTIAL)));
        for (TileMap.QueryTileRow r : map.rows()) {
            char[] line = new char[map.keyTiles()];
            Arrays.fill(line, '.');
            for (int k = 0; k < r.size(); k++) {
                line[r.keyTiles()[k]] = r.classes()[k] == TileClass.FULL ? '#' : '+';
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
