package dev.attnc.compiler.inspect;

import java.util.Arrays;
import java.util.List;

/**
 * The tile classification of one mask at one length, layer and head: for each query tile,
 * its non-empty key tiles in ascending order with their class and exact pair count.
 */
public record TileMap(int n, int queryTile, int keyTile, List<QueryTileRow> rows, long pairs) {

    public TileMap {
        rows = List.copyOf(rows);
    }

    /** The non-empty key tiles of one query tile. */
    public record QueryTileRow(int queryTile, int[] keyTiles, long[] counts, TileClass[] classes) {
        public int size() {
            return keyTiles.length;
        }

        /** The class of key tile {@code kt} (EMPTY when not listed). */
        public TileClass classOf(int kt) {
            int at = Arrays.binarySearch(keyTiles, kt);
            return at < 0 ? TileClass.EMPTY : classes[at];
        }

        public long countOf(int kt) {
            int at = Arrays.binarySearch(keyTiles, kt);
            return at < 0 ? 0 : counts[at];
        }
    }

    public int queryTiles() {
        return (n + queryTile - 1) / queryTile;
    }

    public int keyTiles() {
        return (n + keyTile - 1) / keyTile;
    }

    /** Attended pairs over all pairs. */
    public double density() {
        return (double) pairs / ((double) n * n);
    }

    public long tiles(TileClass c) {
        long k = 0;
        for (QueryTileRow r : rows) {
            for (TileClass t : r.classes()) {
                if (t == c) {
                    k++;
                }
            }
        }
        return k;
    }
}
