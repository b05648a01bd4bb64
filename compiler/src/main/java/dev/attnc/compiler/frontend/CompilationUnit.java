package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.PatternDecl;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A root spec file with everything it imports, and the names they define. One unit is
 * checked and compiled at a time, so two root files may reuse a pattern name.
 *
 * @param root  the file named on the command line
 * @param files the root first, then every imported file once, in load order
 * @param patterns every pattern of the unit by name, in load order; the first definition wins
 *                 (later duplicates are reported by {@link NameResolver})
 */
public record CompilationUnit(FileAst root, List<FileAst> files, Map<String, PatternDecl> patterns) {

    public CompilationUnit {
        files = List.copyOf(files);
        patterns = Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    }

    /** The unit of {@code root} and {@code files}, with its name table built once. */
    public static CompilationUnit of(FileAst root, List<FileAst> files) {
        Map<String, PatternDecl> map = new LinkedHashMap<>();
        for (FileAst f : files) {
            for (PatternDecl p : f.patterns()) {
                map.putIfAbsent(p.name().text(), p);
            }
        }
        return new CompilationUnit(root, files, map);
    }

    public Optional<PatternDecl> lookup(String name) {
        return Optional.ofNullable(patterns.get(name));
    }
}
