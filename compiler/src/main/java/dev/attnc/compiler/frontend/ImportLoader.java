package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.ImportDecl;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Front-end pass: follows {@code import "…"} declarations (paths relative to the importing
 * file), reads and parses each file once, and reports unreadable imports (E001 at the
 * import) and import cycles (E013, with the whole cycle). Requires a parsed root file;
 * guarantees a unit whose files are each present once.
 */
public final class ImportLoader {

    private ImportLoader() {}

    public static CompilationUnit load(FileAst root, Diagnostics diags) {
        Map<Path, FileAst> loaded = new LinkedHashMap<>();
        Path rootPath = key(root.source());
        loaded.put(rootPath, root);
        Deque<Path> stack = new ArrayDeque<>();
        stack.push(rootPath);
        visit(root, loaded, stack, diags);
        return CompilationUnit.of(root, new ArrayList<>(loaded.values()));
    }

    private static void visit(FileAst file, Map<Path, FileAst> loaded, Deque<Path> stack, Diagnostics diags) {
        for (ImportDecl imp : file.imports()) {
            Path base = file.source().path() == null
                    ? Path.of(".")
                    : file.source().path().toAbsolutePath().getParent();
            Path target = base.resolve(imp.path()).toAbsolutePath().normalize();
            if (stack.contains(target)) {
                List<String> cycle = new ArrayList<>();
                List<Path> order = new ArrayList<>(stack);
                Collections.reverse(order);
                int start = order.indexOf(target);
                for (Path p : order.subList(start, order.size())) {
                    cycle.add(displayName(p, loaded));
                }
                cycle.add(displayName(target, loaded));
                diags.report(DiagCode.E013, imp.span(), String.join(" -> ", cycle));
                continue;
            }
            if (loaded.containsKey(target)) {
                continue;
            }
            String display = displayFor(file.source(), imp.path());
            Diagnostics local = new Diagnostics();
            Optional<SourceFile> source = SpecReader.read(target, display, local);
            if (source.isEmpty()) {
                String why = local.sorted().isEmpty()
                        ? "cannot read"
                        : local.sorted().get(0).message();
                diags.report(DiagCode.E001, imp.span(), display + ": " + why.replaceFirst("^cannot read file: ", ""));
                continue;
            }
            FileAst ast = SpecParser.parse(source.get(), diags);
            if (ast == null) {
                continue;
            }
            loaded.put(target, ast);
            stack.push(target);
            visit(ast, loaded, stack, diags);
            stack.pop();
        }
    }

    private static String displayFor(SourceFile importer, String path) {
        if (importer.path() == null) {
            return path;
        }
        Path parent = Path.of(importer.name()).getParent();
        return parent == null ? path : parent.resolve(path).normalize().toString();
    }

    private static String displayName(Path p, Map<Path, FileAst> loaded) {
        FileAst f = loaded.get(p);
        return f != null ? f.source().name() : p.getFileName().toString();
    }

    private static Path key(SourceFile source) {
        return source.path() == null
                ? Path.of(source.name()).toAbsolutePath().normalize()
                : source.path().toAbsolutePath().normalize();
    }
}
