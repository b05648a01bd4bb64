package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** Help, version, and the exit code of every class of outcome. */
class AttncMainTest {

    @Test
    void helpListsCommandsAndExitCodes() {
        CliRun r = attnc("--help").exits(0);
        assertTrue(
                r.out().startsWith("attnc: an attention-pattern compiler for the JVM.\nUsage: attnc [-hV] COMMAND\n"),
                r.out());
        assertTrue(r.out().contains("\n  check    Check spec files and summarise their patterns.\n"), r.out());
        assertTrue(
                r.out().contains("\n  show     Show the attention mask of a pattern, as text or as an SVG picture.\n"),
                r.out());
        assertTrue(r.out().contains("\n  compile  Generate kernels from spec files.\n"), r.out());
        assertTrue(
                r.out().contains("\n  run      Run a pattern on NumPy .npy inputs and write the output as .npy.\n"),
                r.out());
        assertExitCodesFooter(r.out());
        assertEquals("", r.err());
    }

    @Test
    void versionComesFromTheFilteredResource() {
        CliRun r = attnc("--version").exits(0);
        String first = r.out().lines().findFirst().orElse("");
        assertTrue(first.matches("attnc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), first);
        assertEquals("attnc " + VersionProvider.version(), first);
        assertEquals(first, attnc("-V").exits(0).out().lines().findFirst().orElse(""));
    }

    @Test
    void everyCommandHasHelpWithItsOptionsAndTheExitCodes() {
        CliRun check = attnc("check", "--help").exits(0);
        assertTrue(check.out().contains("Usage: attnc check [-hV] [--dump-ir] [--n=N] FILE..."), check.out());
        assertTrue(check.out().contains("--n=N"), check.out());
        assertTrue(check.out().contains("(default: 4096)"), check.out());
        assertExitCodesFooter(check.out());

        CliRun show = attnc("show", "--help").exits(0);
        for (String option : new String[] {"--pattern=P", "--n=N", "--head=H", "--layer=L", "--svg=OUT", "--global="}) {
            assertTrue(show.out().contains(option), option + " in\n" + show.out());
        }
        // The synopsis wraps between options, never inside an option's label.
        assertTrue(show.out().contains("[--svg=OUT]"), show.out());
        assertExitCodesFooter(show.out());

        assertEquals(show.out(), attnc("help", "show").exits(0).out());
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun r = attnc().exits(2).noStackTrace();
        assertEquals(
                "attnc: missing command: say what to do, e.g. 'attnc check FILE'\n"
                        + "Try 'attnc --help' for more information.\n",
                r.err());
    }

    @Test
    void unknownCommandIsAUsageErrorWithSuggestions() {
        CliRun r = attnc("chek", "x.attn").exits(2).noStackTrace();
        assertTrue(r.err().startsWith("attnc: Unmatched arguments from index 0: 'chek', 'x.attn'\n"), r.err());
        assertTrue(r.err().contains("Did you mean: attnc check"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = attnc("check", "--frobnicate", "x.attn").exits(2).noStackTrace();
        assertTrue(r.err().startsWith("attnc check: Unknown option: '--frobnicate'\n"), r.err());
        assertTrue(r.err().endsWith("Try 'attnc check --help' for more information.\n"), r.err());
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        assertEquals(
                "attnc check: Missing required parameter: 'FILE'\n"
                        + "Try 'attnc check --help' for more information.\n",
                attnc("check").exits(2).err());
        assertTrue(attnc("show").exits(2).err().startsWith("attnc show: Missing required parameter: 'FILE'\n"));
        assertTrue(attnc("show", "x.attn", "--n")
                .exits(2)
                .noStackTrace()
                .err()
                .startsWith("attnc show: Missing required parameter for option '--n' (N)\n"));
    }

    @Test
    void badOptionValuesAreUserErrors() {
        assertEquals(
                "attnc: --n must be at least 1, not 0\n",
                attnc("check", "--n", "0", "x.attn").exits(1).err());
        assertEquals(
                "attnc: --n must be at least 1, not -5\n",
                attnc("show", "x.attn", "--n=-5").exits(1).err());
        assertEquals(
                "attnc check: Invalid value for option '--n': 'abc' is not an int\n",
                attnc("check", "--n", "abc", "x.attn").exits(1).noStackTrace().err());
        assertEquals(
                "attnc: --head must be at least 0, not -1\n",
                attnc("show", "x.attn", "--head", "-1").exits(1).err());
    }

    @Test
    void anInternalErrorIsOneLineAndExitsThree() {
        CliRun r = attnc(Map.of(), new Object[] {new Crash()}, "crash").exits(3);
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(
                r.err()
                        .matches(
                                "attnc: internal error: IllegalStateException: boom \\(at AttncMainTest\\.java:\\d+\\);"
                                        + " please report it\n"),
                r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }

    @Test
    void errorsThatAreNotExceptionsAreInternalErrorsToo() {
        CliRun r = attnc(Map.of(), new Object[] {new Overflow()}, "overflow").exits(3);
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("attnc: internal error: StackOverflowError"), r.err());
    }

    @Test
    void debugShowsTheStackTraceOfAnInternalError() {
        CliRun r = attnc(Map.of("ATTNC_DEBUG", "1"), new Object[] {new Crash()}, "crash")
                .exits(3);
        assertTrue(r.err().startsWith("attnc: internal error: IllegalStateException: boom"), r.err());
        assertTrue(r.err().contains("\tat dev.attnc.compiler.cli.AttncMainTest$Crash.call"), r.err());
    }

    static void assertExitCodesFooter(String help) {
        assertTrue(help.contains("""
                Exit codes:
                  0  success
                  1  user error: a spec has errors, a file cannot be read or written, or an
                     option value is out of range (e.g. --n 0)
                  2  usage error: unknown command or option, missing argument
                  3  internal error: a bug in attnc (one line asks you to report it)
                """), help);
    }

    /** A command with a bug. */
    @Command(name = "crash")
    static final class Crash implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("boom");
        }
    }

    /** A command that overflows its stack. */
    @Command(name = "overflow")
    static final class Overflow implements Callable<Integer> {
        @Override
        public Integer call() {
            return recurse(0);
        }

        private static int recurse(int depth) {
            return recurse(depth + 1) + 1;
        }
    }

    @Test
    void aMapOptionWithoutNameEqualsIsAUsageErrorSaidOnce() {
        CliRun r = attnc("run", "x.attn", "-i", "q.npy", "-o", "y.npy").exits(2).noStackTrace();
        assertEquals(
                "attnc run: Value for option '--input' (NAME=FILE.npy) should be in KEY=VALUE format but was q.npy\n"
                        + "Try 'attnc run --help' for more information.\n",
                r.err());
    }
}
