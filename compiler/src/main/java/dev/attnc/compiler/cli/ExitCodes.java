package dev.attnc.compiler.cli;

/** The exit codes of {@code attnc} (docs/DESIGN.md §8), and how every usage text lists them. */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** A spec has errors, a file cannot be read or written, an option value is out of range. */
    public static final int USER_ERROR = 1;
    /** Unknown command or option, missing argument. */
    public static final int USAGE_ERROR = 2;
    /** A bug in attnc; one line asks the user to report it. */
    public static final int INTERNAL_ERROR = 3;

    /** The footer of every command's help. */
    static final String FOOTER = "%nExit codes:%n"
            + "  0  success%n"
            + "  1  user error: a spec has errors, a file cannot be read or written, or an%n"
            + "     option value is out of range (e.g. --n 0)%n"
            + "  2  usage error: unknown command or option, missing argument%n"
            + "  3  internal error: a bug in attnc (one line asks you to report it)%n"
            + "%nSet ATTNC_DEBUG=1 to see the stack trace of an internal error.";

    private ExitCodes() {}
}
