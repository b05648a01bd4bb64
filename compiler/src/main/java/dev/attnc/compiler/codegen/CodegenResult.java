package dev.attnc.compiler.codegen;

import java.nio.file.Path;
import java.util.List;

/**
 * What a generation did.
 *
 * @param upToDate  nothing was read beyond the stale check, nothing written
 * @param specs     the spec files the includes and excludes selected
 * @param written   outputs whose content changed (created or rewritten)
 * @param unchanged outputs regenerated to the same bytes (not touched on disk)
 * @param deleted   outputs of the previous run that no spec produces any more
 */
public record CodegenResult(
        boolean upToDate, List<Path> specs, List<Path> written, List<Path> unchanged, List<Path> deleted) {
    public CodegenResult {
        specs = List.copyOf(specs);
        written = List.copyOf(written);
        unchanged = List.copyOf(unchanged);
        deleted = List.copyOf(deleted);
    }
}
