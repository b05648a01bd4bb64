package dev.attnc.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One run of {@code attnc} through {@link AttncMain#run}: its exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {

    static CliRun attnc(String... args) {
        return attnc(Map.of(), new Object[0], args);
    }

    static CliRun attnc(Map<String, String> env, Object[] extraCommands, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AttncMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env,
                extraCommands);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts the exit code, showing both streams when it differs. */
    CliRun exits(int expected) {
        assertEquals(expected, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        return this;
    }

    /** No stack trace and no exception name on either stream. */
    CliRun noStackTrace() {
        for (String s : new String[] {out, err}) {
            for (String line : s.split("\n")) {
                assertFalse(
                        line.startsWith("\tat ") || line.contains("Exception") || line.contains("\tat "),
                        "stack trace line: " + line);
            }
        }
        return this;
    }
}
