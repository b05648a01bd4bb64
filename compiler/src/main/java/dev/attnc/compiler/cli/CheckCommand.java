package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.inspect.PairCounts;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.PatternIR;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code attnc check FILE… [--n N] [--dump-ir]}: diagnostics, and a summary line per pattern. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        header = "Check spec files and summarise their patterns.",
        description = {
            "Prints every diagnostic of every file to stderr (file:line:col, the source line and a caret), "
                    + "then one line per pattern to stdout: head_dim, terms, density at length N (layer 0, head 0; "
                    + "run-time global masks and random layouts empty) and FLOPs per head (4*head_dim per attended "
                    + "pair). Exits 1 when any file has errors; warnings alone exit 0."
        },
        footer = ExitCodes.FOOTER)
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "spec files (.attn)")
    List<String> files;

    @Option(
            names = "--n",
            paramLabel = "N",
            defaultValue = "4096",
            description = "sequence length for density and FLOPs (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--dump-ir", description = "print the pattern IR of every pattern after its summary")
    boolean dumpIr;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Options.atLeast("--n", n, 1);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (String file : files) {
            Pipeline.Result result = SpecFiles.compile(file, err);
            if (!result.ok()) {
                failed++;
                continue;
            }
            for (PatternIR p : result.patterns()) {
                out.println(PairCounts.summary(file, result, p, n));
                if (dumpIr) {
                    out.print(IrPrinter.print(p));
                }
            }
            out.flush();
        }
        if (failed > 0) {
            err.println("attnc: " + failed + " of " + files.size() + (files.size() == 1 ? " file" : " files")
                    + (failed == 1 ? " has" : " have") + " errors");
            return ExitCodes.USER_ERROR;
        }
        return ExitCodes.OK;
    }
}
