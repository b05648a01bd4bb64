package dev.attnc.compiler.inspect;

/**
 * The exact work of one head of softmax attention under a mask: {@code pairs} attended
 * (query, key) pairs; FLOPs {@code 4·d} per pair ({@code 2d} for q·k and {@code 2d} for p·v, a
 * multiply-add counting two); bytes of the fp32 Q, K, V read once and O written once when
 * every tile is read once per query tile that needs it.
 */
public record WorkEstimate(long pairs, int headDim, long flops, long bytes) {

    public static WorkEstimate of(TileMap map, int headDim) {
        long keyTileLoads = 0;
        for (TileMap.QueryTileRow r : map.rows()) {
            for (int k = 0; k < r.size(); k++) {
                int kt = r.keyTiles()[k];
                keyTileLoads += Math.min(map.keyTile(), map.n() - (long) kt * map.keyTile());
            }
        }
        long qo = 2L * map.n() * headDim * Float.BYTES;
        long kv = 2L * keyTileLoads * headDim * Float.BYTES;
        return new WorkEstimate(map.pairs(), headDim, 4L * headDim * map.pairs(), qo + kv);
    }
}
