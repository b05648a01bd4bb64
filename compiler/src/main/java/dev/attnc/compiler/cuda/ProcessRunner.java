package dev.attnc.compiler.cuda;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external process to completion or until a timeout. Output goes to temporary files
 * (never pipes), so a process that prints a lot cannot block; on timeout the process and its
 * descendants (nvcc's cicc and ptxas, a sanitizer's symbolizer) are killed. The temporary files
 * are always deleted. Output is decoded as UTF-8 leniently: compilers quote source lines and
 * sanitizers print memory, neither of which need be UTF-8.
 */
final class ProcessRunner {

    private ProcessRunner() {}

    /** Exit code ({@code -1} after a timeout), both output streams, and whether the timeout hit. */
    record Outcome(int exitCode, String stdout, String stderr, boolean timedOut) {}

    /**
     * Runs {@code command} in {@code workDir} with {@code extraEnv} added to the environment.
     *
     * @throws UncheckedIOException if the process cannot be started or its output read
     * @throws IllegalStateException if the calling thread is interrupted (the process is killed)
     */
    static Outcome run(List<String> command, Map<String, String> extraEnv, Path workDir, Duration timeout) {
        try {
            return run(command, extraEnv, workDir, timeout, false);
        } catch (InterruptedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code command} in the current directory with stderr merged into stdout (one
     * stream, in the order the process wrote it; {@link Outcome#stderr()} is empty).
     *
     * @throws InterruptedIOException if the calling thread is interrupted (the process is killed)
     */
    static Outcome runMerged(List<String> command, Duration timeout) throws IOException {
        return run(command, Map.of(), null, timeout, true);
    }

    private static Outcome run(
            List<String> command, Map<String, String> extraEnv, Path workDir, Duration timeout, boolean merge)
            throws IOException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("attnc-proc-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            if (merge) {
                pb.redirectErrorStream(true);
            } else {
                err = Files.createTempFile("attnc-proc-", ".err");
                pb.redirectError(err.toFile());
            }
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while running " + command.get(0));
            }
            if (!finished) {
                kill(p);
            }
            return new Outcome(finished ? p.exitValue() : -1, read(out), err == null ? "" : read(err), !finished);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }
}
