package dev.attnc.compiler.cuda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds and runs CUDA kernels on the CPU: the kernels' {@code .cu} files are compiled
 * unchanged by a host C++20 compiler with {@code attnc_emu.h} force-included (see that header
 * for what is emulated), together with a C++ harness that calls {@code attnc_emu::launch}.
 *
 * <p>The host compiler is {@code $ATTNC_CXX} if set (a path or a name looked up on
 * {@code PATH}), else {@code g++} on {@code PATH}. The CUDA headers ({@code cuda_fp16.h},
 * {@code cuda_bf16.h}) come from {@code $CUDA_HOME/include}, else
 * {@code /usr/local/cuda/include}; no GPU, driver or nvcc is needed.
 *
 * <p>Guarantees: {@link #build} returns an executable built from exactly the given sources and
 * flags (a second call with the same inputs returns the cached one without compiling); a
 * compiler error becomes an {@link EmuBuildException} carrying the compiler's output; {@link
 * #run} never waits longer than its timeout and always returns the exit code and both outputs.
 */
public final class EmuToolchain {

    /** Sanitizer to build with. Sanitizer builds use {@code -O1} instead of {@code -O2}. */
    public enum Sanitizer {
        NONE,
        ADDRESS,
        THREAD
    }

    /**
     * What a run produced. {@code exitCode} is {@code -1} when the process was killed after the
     * timeout ({@code timedOut}). {@code retriedWithoutAslr} says the run was repeated under
     * {@code setarch -R} because ThreadSanitizer rejected the memory layout.
     */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut, boolean retriedWithoutAslr) {
        /** True when the process exited normally with code 0. */
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** Name of the header inside the work directory and the class path. */
    public static final String HEADER = "attnc_emu.h";

    private static final String HEADER_RESOURCE = "/dev/attnc/compiler/cuda/" + HEADER;
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(10);
    /** ThreadSanitizer's message when the kernel's ASLR layout (mmap_rnd_bits) does not suit it. */
    static final String TSAN_MAPPING_ERROR = "unexpected memory mapping";

    private EmuToolchain() {}

    /**
     * Empty when a host compiler and the CUDA headers are present, else one line saying what is
     * missing (for tests to skip with).
     */
    public static Optional<String> unavailableReason() {
        Optional<Path> cxx = hostCompiler();
        if (cxx.isEmpty()) {
            String env = System.getenv("ATTNC_CXX");
            return Optional.of(
                    env != null && !env.isBlank()
                            ? "ATTNC_CXX=" + env + " is not an executable file or a program on PATH"
                            : "no g++ on PATH (set ATTNC_CXX to a C++20 compiler)");
        }
        Optional<Path> inc = cudaInclude();
        if (inc.isEmpty()) {
            return Optional.of(
                    "no CUDA headers: neither $CUDA_HOME/include nor /usr/local/cuda/include has cuda_fp16.h");
        }
        return Optional.empty();
    }

    /** The host C++ compiler: {@code $ATTNC_CXX}, else {@code g++} on {@code PATH}. */
    public static Optional<Path> hostCompiler() {
        String env = System.getenv("ATTNC_CXX");
        return findExecutable(env != null && !env.isBlank() ? env.strip() : "g++");
    }

    /** The CUDA include directory holding {@code cuda_fp16.h}. */
    public static Optional<Path> cudaInclude() {
        String home = System.getenv("CUDA_HOME");
        List<Path> candidates = new ArrayList<>();
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home.strip(), "include"));
        }
        candidates.add(Path.of("/usr/local/cuda/include"));
        return candidates.stream()
                .filter(d -> Files.isRegularFile(d.resolve("cuda_fp16.h")))
                .findFirst();
    }

    /**
     * Compiles {@code sources} ({@code .cu} files as C++, anything else by its extension; one
     * compiler process per source, as many at a time as there are processors) and links them into
     * the executable {@code workDir/<name>-<hash>} and returns its path. The header is extracted
     * from the class path into {@code workDir/include}. The hash covers the compiler, the flags,
     * the header and the path and content of every source (not files they {@code #include}), so
     * an unchanged build returns at once.
     *
     * @throws EmuBuildException if the compiler fails (its output is in the exception)
     * @throws IllegalStateException if the toolchain is unavailable ({@link #unavailableReason()})
     */
    public static Path build(Path workDir, String name, List<Path> sources, Sanitizer sanitizer) {
        return build(workDir, name, sources, List.of(), sanitizer);
    }

    /**
     * As {@link #build(Path, String, List, Sanitizer)}, with {@code dependencies} (files the
     * sources {@code #include}, not compiled themselves) also covered by the hash, so that an
     * edited header rebuilds instead of returning the executable built from its old text.
     */
    public static Path build(
            Path workDir, String name, List<Path> sources, List<Path> dependencies, Sanitizer sanitizer) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("executable name must be [A-Za-z0-9_.-]+: " + name);
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no sources to build " + name);
        }
        unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("CPU emulation of CUDA unavailable: " + r);
        });
        Path cxx = hostCompiler().orElseThrow();
        Path cudaInc = cudaInclude().orElseThrow();
        try {
            Files.createDirectories(workDir);
            byte[] header = headerBytes();
            Path includeDir = workDir.resolve("include");
            writeIfChanged(includeDir.resolve(HEADER), header);

            List<String> flags = flags(cudaInc, includeDir, sanitizer);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            update(md, cxx.toString());
            flags.forEach(f -> update(md, f));
            md.update(header);
            for (Path s : sources) {
                Path abs = s.toAbsolutePath().normalize();
                update(md, abs.toString());
                md.update(Files.readAllBytes(abs));
            }
            for (Path dep : dependencies) {
                Path abs = dep.toAbsolutePath().normalize();
                update(md, "dependency " + abs);
                md.update(Files.readAllBytes(abs));
            }
            String hash = HexFormat.of().formatHex(md.digest()).substring(0, 16);
            Path exe = workDir.resolve(name + "-" + hash).toAbsolutePath();
            if (Files.isExecutable(exe)) {
                return exe;
            }
            // One compiler process per source, run in parallel, then one link.
            Path objDir = Files.createDirectories(workDir.resolve("obj").resolve(name + "-" + hash));
            List<List<String>> compiles = new ArrayList<>();
            List<String> objects = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                Path abs = sources.get(i).toAbsolutePath().normalize();
                String file = abs.getFileName().toString();
                Path obj = objDir.resolve(i + "-" + file + ".o");
                List<String> cmd = new ArrayList<>();
                cmd.add(cxx.toString());
                cmd.addAll(flags);
                if (file.endsWith(".cu")) {
                    cmd.addAll(List.of("-x", "c++"));
                }
                cmd.addAll(List.of("-c", abs.toString(), "-o", obj.toString()));
                compiles.add(cmd);
                objects.add(obj.toString());
            }
            compileAll(compiles, workDir, name);
            Path tmp = workDir.resolve(
                            name + "-" + hash + ".tmp" + ProcessHandle.current().pid())
                    .toAbsolutePath();
            List<String> link = new ArrayList<>();
            link.add(cxx.toString());
            link.addAll(linkFlags(sanitizer));
            link.addAll(objects);
            link.addAll(List.of("-o", tmp.toString()));
            runCompiler(link, workDir, name, "linker");
            move(tmp, exe);
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + name + " in " + workDir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Runs the compile commands, at most one per processor at a time; throws for the first that failed. */
    private static void compileAll(List<List<String>> commands, Path workDir, String name) {
        int parallel =
                Math.max(1, Math.min(commands.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "attnc-emu-cxx");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (List<String> cmd : commands) {
                jobs.add(pool.submit(() -> runCompiler(cmd, workDir, name, "host compiler")));
            }
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while building " + name, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void runCompiler(List<String> cmd, Path workDir, String name, String what) {
        ProcessRunner.Outcome o = ProcessRunner.run(cmd, Map.of(), workDir, COMPILE_TIMEOUT);
        String output = o.stdout() + o.stderr();
        if (o.timedOut()) {
            throw new EmuBuildException(
                    what + " timed out after " + COMPILE_TIMEOUT.toMinutes() + " min building " + name, cmd, output);
        }
        if (o.exitCode() != 0) {
            throw new EmuBuildException(what + " failed (exit " + o.exitCode() + ") building " + name, cmd, output);
        }
    }

    /** Flags for linking the objects of a build. */
    static List<String> linkFlags(Sanitizer sanitizer) {
        List<String> f = new ArrayList<>(List.of("-pthread"));
        switch (sanitizer) {
            case ADDRESS -> f.add("-fsanitize=address");
            case THREAD -> f.add("-fsanitize=thread");
            case NONE -> {}
        }
        return f;
    }

    /** The compiler flags for a build (without sources and output). */
    static List<String> flags(Path cudaInclude, Path headerDir, Sanitizer sanitizer) {
        List<String> f =
                new ArrayList<>(List.of("-std=c++20", sanitizer == Sanitizer.NONE ? "-O2" : "-O1", "-g", "-pthread"));
        switch (sanitizer) {
            case ADDRESS -> f.addAll(List.of("-fsanitize=address", "-fno-omit-frame-pointer"));
            case THREAD -> f.add("-fsanitize=thread");
            case NONE -> {}
        }
        f.addAll(List.of("-I" + cudaInclude, "-I" + headerDir.toAbsolutePath(), "-include", HEADER));
        return f;
    }

    /**
     * Runs {@code exe} with {@code args} in its directory and returns exit code and output,
     * killing it after {@code timeout}. Sanitizer options are always set
     * ({@code ASAN_OPTIONS=detect_leaks=0:abort_on_error=0},
     * {@code TSAN_OPTIONS=halt_on_error=1:report_signal_unsafe=0}; a run without sanitizers
     * ignores them). ThreadSanitizer aborts at start with "unexpected memory mapping" on kernels
     * whose ASLR uses more random bits than it supports ({@code vm.mmap_rnd_bits} &gt; 28 on
     * some 6.x kernels); then the run is repeated once under {@code setarch $(uname -m) -R},
     * which turns address randomisation off for that process only.
     */
    public static Result run(Path exe, List<String> args, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toAbsolutePath().toString());
        cmd.addAll(args);
        Map<String, String> env = Map.of(
                "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0",
                "TSAN_OPTIONS", "halt_on_error=1:report_signal_unsafe=0");
        Path dir = exe.toAbsolutePath().getParent();
        ProcessRunner.Outcome o = ProcessRunner.run(cmd, env, dir, timeout);
        if (!o.timedOut() && o.exitCode() != 0 && o.stderr().contains(TSAN_MAPPING_ERROR)) {
            List<String> retry = new ArrayList<>(List.of("setarch", machine(), "-R"));
            retry.addAll(cmd);
            ProcessRunner.Outcome r = ProcessRunner.run(retry, env, dir, timeout);
            return new Result(r.exitCode(), r.stdout(), r.stderr(), r.timedOut(), true);
        }
        return new Result(o.exitCode(), o.stdout(), o.stderr(), o.timedOut(), false);
    }

    private static String machine() {
        ProcessRunner.Outcome o =
                ProcessRunner.run(List.of("uname", "-m"), Map.of(), Path.of("."), Duration.ofSeconds(10));
        String m = o.stdout().strip();
        return o.exitCode() == 0 && !m.isEmpty() ? m : "x86_64";
    }

    private static byte[] headerBytes() throws IOException {
        try (InputStream in = EmuToolchain.class.getResourceAsStream(HEADER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + HEADER_RESOURCE + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static void writeIfChanged(Path target, byte[] content) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(
                target.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.write(tmp, content);
        move(tmp, target);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }

    private static Optional<Path> findExecutable(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            Path p = Path.of(nameOrPath);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, nameOrPath);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
