package dev.attnc.compiler.exec;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.ir.PatternIR;
import java.util.Objects;

/**
 * A pattern that passed the front end, with the unit it was declared in: the backends run its
 * IR, the reference backend evaluates its declaration ({@code MaskInterpreter} reads the AST).
 */
public record CheckedPattern(CompilationUnit unit, PatternIR ir) {

    public CheckedPattern {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(ir, "ir");
    }

    /** Pattern {@code ir} of a compile without errors. */
    public static CheckedPattern of(Pipeline.Result result, PatternIR ir) {
        requireOk(result);
        if (!result.patterns().contains(ir)) {
            throw new IllegalArgumentException("pattern " + ir.name() + " is not one of this compile's patterns");
        }
        return new CheckedPattern(result.unit().get(), ir);
    }

    /** Pattern {@code name} of a compile without errors. */
    public static CheckedPattern of(Pipeline.Result result, String name) {
        requireOk(result);
        PatternIR p = result.pattern(name)
                .orElseThrow(() -> new IllegalArgumentException("the spec has no pattern '" + name + "'; it has: "
                        + String.join(
                                ", ",
                                result.patterns().stream().map(PatternIR::name).toList())));
        return of(result, p);
    }

    private static void requireOk(Pipeline.Result result) {
        if (!result.ok() || result.unit().isEmpty()) {
            throw new IllegalArgumentException(
                    "the spec has errors:\n" + result.diagnostics().render());
        }
    }

    public String name() {
        return ir.name();
    }
}
