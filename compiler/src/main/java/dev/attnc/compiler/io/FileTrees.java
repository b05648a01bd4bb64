package dev.attnc.compiler.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing scratch directories. */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes {@code dir} and everything below it, as far as it can; what cannot be deleted
     * stays (a scratch directory under the temp directory or a caller's work directory). Does
     * nothing for null.
     */
    public static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left behind, as documented
        }
    }
}
