package dev.attnc.compiler.cuda;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * The plain-text tables of the build's reports ({@link PtxasReport}, {@link CudaReport}): columns
 * padded with spaces to their widest cell, two spaces apart, each line without trailing spaces
 * and ending in {@code \n}.
 */
final class TextTable {

    private TextTable() {}

    /**
     * Formats {@code rows} (the header first); a column is left-aligned where {@code left} holds
     * for its index, right-aligned otherwise.
     */
    static String format(List<String[]> rows, IntPredicate left) {
        int columns = 0;
        for (String[] r : rows) {
            columns = Math.max(columns, r.length);
        }
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(left.test(i) ? r[i] + pad : pad + r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
