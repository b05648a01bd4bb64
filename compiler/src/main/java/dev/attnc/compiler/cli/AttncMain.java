package dev.attnc.compiler.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code attnc} command line. Every outcome maps to one exit code ({@link ExitCodes}),
 * and no stack trace reaches a user: an unexpected exception prints one line
 * ({@code attnc: internal error: …; please report it}) and exits 3, unless
 * {@code ATTNC_DEBUG=1} asks for the trace.
 */
@Command(
        name = "attnc",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "attnc: an attention-pattern compiler for the JVM.",
        description = {
            "Compiles attention-pattern specs (.attn files: Longformer, BigBird, Fastformer, causal local, ...) "
                    + "into Java Vector-API and CUDA kernels. 'attnc COMMAND --help' describes each command."
        },
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            CheckCommand.class,
            ShowCommand.class,
            CompileCommand.class,
            RunCommand.class,
            EncodeCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = ExitCodes.FOOTER)
public final class AttncMain implements Runnable {

    @Spec
    CommandSpec spec;

    /** {@code attnc} alone: a usage error that shows the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: say what to do, e.g. 'attnc check FILE'");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code attnc args}, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream)}, with the environment given and,
     * for tests, extra subcommands (objects annotated with {@code @Command}).
     */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Object... extra) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        boolean debug = "1".equals(env.get("ATTNC_DEBUG"));
        try {
            CommandLine cl = new CommandLine(new AttncMain());
            for (Object sub : extra) {
                cl.addSubcommand(sub);
            }
            cl.setOut(o);
            cl.setErr(e);
            cl.setUsageHelpWidth(80);
            cl.setParameterExceptionHandler(usageErrors());
            cl.setExecutionExceptionHandler(failures(debug));
            return cl.execute(args);
        } catch (OutOfMemoryError t) {
            e.println("attnc: out of memory; give the JVM a larger heap, e.g. ATTNC_JAVA_OPTS=-Xmx2g bin/attnc ...");
            return ExitCodes.USER_ERROR;
        } catch (Throwable t) {
            return internalError(t, e, debug);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** Parse errors: a bad option value exits 1, anything else about the command line 2. */
    private static IParameterExceptionHandler usageErrors() {
        return (ParameterException ex, String[] args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            // picocli 4.6 says "Value for option option '--input' …" for a -i without NAME=.
            err.println(name + ": " + ex.getMessage().replace("option option ", "option "));
            UnmatchedArgumentException.printSuggestions(ex, err);
            if (isBadValue(ex)) {
                return ExitCodes.USER_ERROR;
            }
            err.println("Try '" + name + " --help' for more information.");
            return ExitCodes.USAGE_ERROR;
        };
    }

    /** A value that did not convert ({@code --n abc}): the option was given right, its value is wrong. */
    private static boolean isBadValue(ParameterException ex) {
        return ex.getCause() instanceof CommandLine.TypeConversionException
                || (ex.getCause() != null && ex.getArgSpec() != null && ex.getValue() != null);
    }

    /** Exceptions from a command: user errors exit 1, anything else is a bug (3). */
    private static IExecutionExceptionHandler failures(boolean debug) {
        return (Exception ex, CommandLine cmd, ParseResult parsed) -> {
            if (ex instanceof UserError) {
                cmd.getErr().println("attnc: " + ex.getMessage());
                return ExitCodes.USER_ERROR;
            }
            return internalError(ex, cmd.getErr(), debug);
        };
    }

    private static int internalError(Throwable t, PrintWriter err, boolean debug) {
        try {
            err.println("attnc: internal error: " + oneLine(t) + "; please report it");
            if (debug) {
                t.printStackTrace(err);
            }
            err.flush();
        } catch (Throwable ignored) {
            // nothing more can be said
        }
        return ExitCodes.INTERNAL_ERROR;
    }

    /** {@code IllegalStateException: message (at Foo.java:12)} on one line: what a bug report needs first. */
    static String oneLine(Throwable t) {
        String msg = t.getMessage();
        String what = t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
        what = what.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        if (what.length() > 300) {
            what = what.substring(0, 297) + "...";
        }
        StackTraceElement[] frames = t.getStackTrace();
        if (frames.length > 0 && frames[0].getFileName() != null) {
            what += " (at " + frames[0].getFileName() + ":" + frames[0].getLineNumber() + ")";
        }
        return what;
    }
}
