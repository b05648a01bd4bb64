package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.SourceFile;
import java.util.List;

/** One parsed spec file: its imports and its patterns, in source order. */
public record FileAst(SourceFile source, List<ImportDecl> imports, List<PatternDecl> patterns) {
    public FileAst {
        imports = List.copyOf(imports);
        patterns = List.copyOf(patterns);
    }
}
