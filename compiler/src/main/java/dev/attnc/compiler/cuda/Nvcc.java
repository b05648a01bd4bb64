package dev.attnc.compiler.cuda;

import dev.attnc.compiler.emit.CudaEmitter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The nvcc compiler driver, found on this machine, and the one build the CUDA backend needs: a
 * {@code .cu} file to a {@code .fatbin} plus ptxas's resource report.
 *
 * <p>Where nvcc is looked for, in order (see {@link #locate(Map)}): {@code $ATTNC_NVCC} (if set it
 * must work; nothing else is tried), {@code $CUDA_HOME/bin/nvcc}, {@code /usr/local/cuda/bin/nvcc},
 * then {@code nvcc} in a {@code $PATH} directory. A candidate counts only if
 * {@code nvcc --version} runs and exits 0.
 *
 * <p>Instances are immutable and thread-safe; each {@link #build} runs its own nvcc process.
 */
public final class Nvcc {

    /** Time a build may take before nvcc (and its cicc/ptxas children) is killed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private static final Pattern LAUNCH = Pattern.compile(
            "^\\s*//\\s*" + Pattern.quote(CudaEmitter.LAUNCH_TAG)
                    + "\\s+(\\S+)\\s+threads=\\d+\\s+dynamic_shared=(\\d+)\\s*$",
            Pattern.MULTILINE);

    /** The dynamic shared memory per entry from the source's {@code attnc:launch} comment lines. */
    static Map<String, Long> launches(Path cuFile) throws IOException {
        Map<String, Long> out = new HashMap<>();
        Matcher m = LAUNCH.matcher(Files.readString(cuFile, StandardCharsets.UTF_8));
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    /** The static report's file name after the base name: {@code <baseName>.cuda-report.txt}. */
    public static final String CUDA_REPORT_SUFFIX = ".cuda-report.txt";

    private static final Pattern KEPT_PTX = Pattern.compile(".*\\.compute_([0-9]+)\\.ptx");
    private static final Pattern BASE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Path executable;
    private final String version;
    private final Duration timeout;

    private Nvcc(Path executable, String version, Duration timeout) {
        this.executable = executable;
        this.version = version;
        this.timeout = timeout;
    }

    /**
     * The outcome of looking for nvcc: either an nvcc, or why there is none.
     *
     * @param nvcc the nvcc found, if any
     * @param description where it was found, or every place tried and why each failed
     */
    public record Lookup(Optional<Nvcc> nvcc, String description) {}

    private static volatile Lookup cached;

    /** nvcc on this machine per the process environment (looked up once, then remembered). */
    public static Optional<Nvcc> find() {
        return lookup().nvcc();
    }

    /** Why {@link #find()} is empty, naming every place tried; empty when nvcc was found. */
    public static Optional<String> unavailableReason() {
        Lookup l = lookup();
        return l.nvcc().isPresent() ? Optional.empty() : Optional.of(l.description());
    }

    private static Lookup lookup() {
        Lookup l = cached;
        if (l == null) {
            l = locate(System.getenv());
            cached = l;
        }
        return l;
    }

    /** Looks for nvcc using {@code env} (ATTNC_NVCC, CUDA_HOME, PATH) instead of the real environment. */
    public static Lookup locate(Map<String, String> env) {
        List<String> tried = new ArrayList<>();
        String explicit = env.get("ATTNC_NVCC");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            String why = check(p);
            if (why == null) {
                return found(p);
            }
            return new Lookup(Optional.empty(), "nvcc not found: ATTNC_NVCC=" + explicit + " " + why);
        }
        tried.add("ATTNC_NVCC is not set");
        String cudaHome = env.get("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            Path p = Path.of(cudaHome, "bin", "nvcc");
            String why = check(p);
            if (why == null) {
                return found(p);
            }
            tried.add("$CUDA_HOME/bin/nvcc (" + p + ") " + why);
        } else {
            tried.add("CUDA_HOME is not set");
        }
        Path usual = Path.of("/usr/local/cuda/bin/nvcc");
        String why = check(usual);
        if (why == null) {
            return found(usual);
        }
        tried.add(usual + " " + why);
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "nvcc");
            if (Files.exists(p)) {
                String w = check(p);
                if (w == null) {
                    return found(p);
                }
                tried.add(p + " " + w);
            }
        }
        tried.add("no working nvcc on PATH (" + path + ")");
        return new Lookup(
                Optional.empty(),
                "nvcc not found: " + String.join("; ", tried)
                        + ". Install the CUDA toolkit or set ATTNC_NVCC to the nvcc executable.");
    }

    private static Lookup found(Path p) {
        String v = versionOf(p);
        Nvcc n = new Nvcc(p, v, DEFAULT_TIMEOUT);
        return new Lookup(Optional.of(n), "nvcc " + v + " at " + p);
    }

    /** Null when {@code p --version} works, else why not (phrased to follow the path). */
    private static String check(Path p) {
        if (!Files.exists(p)) {
            return "does not exist";
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            return "is not an executable file";
        }
        try {
            Run r = run(List.of(p.toString(), "--version"), VERSION_TIMEOUT);
            if (r.timedOut) {
                return "did not answer --version within " + VERSION_TIMEOUT.toSeconds() + " s";
            }
            return r.exit == 0 ? null : "--version exited with " + r.exit + ": " + r.output.strip();
        } catch (IOException e) {
            return "cannot be run: " + e.getMessage();
        }
    }

    private static String versionOf(Path p) {
        try {
            String out = run(List.of(p.toString(), "--version"), VERSION_TIMEOUT).output;
            for (String line : out.split("\\R")) {
                if (line.contains("release")) {
                    return line.substring(line.indexOf("release") + "release".length())
                            .strip();
                }
            }
            return "(unknown version)";
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    /** The nvcc executable. */
    public Path executable() {
        return executable;
    }

    /** nvcc's release text, e.g. {@code 13.0, V13.0.88}. */
    public String version() {
        return version;
    }

    /** How long one build may run. */
    public Duration timeout() {
        return timeout;
    }

    /** The same nvcc with another build timeout. */
    public Nvcc withTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        return new Nvcc(executable, version, timeout);
    }

    /** {@link #build(Path, List, List, Path, String, List)} without extra nvcc options. */
    public BuildResult build(Path cuFile, List<Path> includeDirs, List<CudaArch> archs, Path outDir, String baseName)
            throws CudaBuildException {
        return build(cuFile, includeDirs, archs, outDir, baseName, List.of());
    }

    /**
     * Compiles {@code cuFile} into {@code outDir/<baseName>.fatbin} (a cubin for each of {@code archs}
     * and PTX for the highest one, so drivers for newer GPUs can JIT it) and writes ptxas's report to
     * {@code outDir/<baseName>.ptxas.txt} (see {@link PtxasReport#toText()}) and the static report
     * (occupancy and PTX instruction mix, {@link CudaReport#toText()}) to
     * {@code outDir/<baseName>.cuda-report.txt}; the PTX is the one nvcc keeps ({@code -keep}, in a
     * temporary directory deleted afterwards), so this costs no second compilation.
     *
     * <p>On success each file replaces any older one by an atomic rename of a temporary file written
     * in {@code outDir} (fatbin first, then the ptxas report, then the static report), so a reader never sees a partly written file.
     * When nvcc fails, times out, is interrupted or its report cannot be read, a
     * {@link CudaBuildException} is thrown before any rename: no file has been created or
     * replaced (older outputs stay as they were) and the temporary files are deleted. Only if a
     * later rename itself fails can a new fatbin sit next to an old report.
     *
     * @param includeDirs passed as {@code -I} in order
     * @param archs at least one; duplicates ignored, order irrelevant
     * @param baseName a plain file name stem: letters, digits, {@code _ . -}, not starting with
     *     {@code .} or {@code -}
     * @param extraOptions further nvcc options placed before {@code -o} (e.g. {@code -maxrregcount=32},
     *     {@code -lineinfo}); they must not change the output kind or file
     * @throws CudaBuildException nvcc failed, timed out or could not be started; the message holds
     *     nvcc's diagnostics with {@code file:line} locations
     * @throws IllegalArgumentException bad arguments (no such .cu file, no archs, bad base name)
     */
    public BuildResult build(
            Path cuFile,
            List<Path> includeDirs,
            List<CudaArch> archs,
            Path outDir,
            String baseName,
            List<String> extraOptions)
            throws CudaBuildException {
        Objects.requireNonNull(outDir, "outDir");
        if (!Files.isRegularFile(cuFile)) {
            throw new IllegalArgumentException("no such CUDA source file: " + cuFile);
        }
        if (archs.isEmpty()) {
            throw new IllegalArgumentException("no CUDA architectures given");
        }
        if (!BASE_NAME.matcher(baseName).matches()) {
            throw new IllegalArgumentException("bad output base name '" + baseName
                    + "': use letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        Path fatbin = outDir.resolve(baseName + ".fatbin");
        Path reportFile = outDir.resolve(baseName + ".ptxas.txt");
        Path cudaReportFile = outDir.resolve(baseName + CUDA_REPORT_SUFFIX);
        Path tmpFatbin = null;
        Path tmpReport = null;
        Path tmpCudaReport = null;
        Path keep = null;
        List<String> cmd = List.of();
        try {
            Files.createDirectories(outDir);
            tmpFatbin = Files.createTempFile(outDir, "." + baseName + ".", ".fatbin.tmp");
            tmpReport = Files.createTempFile(outDir, "." + baseName + ".", ".ptxas.tmp");
            tmpCudaReport = Files.createTempFile(outDir, "." + baseName + ".", ".cuda-report.tmp");
            keep = Files.createTempDirectory("attnc-nvcc-keep-");
            List<String> options = new ArrayList<>(extraOptions);
            options.addAll(List.of("-keep", "-keep-dir", keep.toAbsolutePath().toString()));
            cmd = command(cuFile, includeDirs, archs, options, tmpFatbin);
            long t0 = System.nanoTime();
            Run r = run(cmd, timeout);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            if (r.timedOut) {
                throw new CudaBuildException(
                        "nvcc timed out after " + timeout.toSeconds() + " s compiling " + cuFile + " (killed)",
                        cmd,
                        r.output);
            }
            if (r.exit != 0) {
                throw new CudaBuildException(
                        "nvcc failed (exit " + r.exit + ") compiling " + cuFile + ":", cmd, r.output);
            }
            if (Files.size(tmpFatbin) == 0) {
                throw new CudaBuildException("nvcc exited 0 but wrote an empty fatbin for " + cuFile, cmd, r.output);
            }
            PtxasReport report;
            try {
                report = PtxasReport.parse(r.output);
            } catch (IllegalArgumentException e) {
                throw new CudaBuildException(
                        "cannot read ptxas's -v output for " + cuFile + ": " + e.getMessage(), cmd, r.output, e);
            }
            CudaReport cudaReport;
            try {
                cudaReport = new CudaReport(report, keptPtx(keep, archs), launches(cuFile));
            } catch (IllegalArgumentException e) {
                throw new CudaBuildException(
                        "cannot read the PTX nvcc kept for " + cuFile + ": " + e.getMessage(), cmd, r.output, e);
            }
            Files.writeString(tmpReport, report.toText(), StandardCharsets.UTF_8);
            Files.writeString(tmpCudaReport, cudaReport.toText(), StandardCharsets.UTF_8);
            Files.move(tmpFatbin, fatbin, StandardCopyOption.ATOMIC_MOVE);
            tmpFatbin = null;
            Files.move(tmpReport, reportFile, StandardCopyOption.ATOMIC_MOVE);
            tmpReport = null;
            Files.move(tmpCudaReport, cudaReportFile, StandardCopyOption.ATOMIC_MOVE);
            tmpCudaReport = null;
            return new BuildResult(fatbin, reportFile, report, cudaReportFile, cudaReport, cmd, r.output, elapsed);
        } catch (IOException e) {
            throw new CudaBuildException("nvcc build of " + cuFile + " failed: " + e, cmd, "", e);
        } finally {
            deleteQuietly(tmpFatbin);
            deleteQuietly(tmpReport);
            deleteQuietly(tmpCudaReport);
            deleteTree(keep);
        }
    }

    /**
     * The command line {@link #build} runs, e.g. for sm_80 and sm_90:
     * {@code nvcc -fatbin -O3 -std=c++17 -I<dir> -gencode arch=compute_80,code=sm_80
     * -gencode arch=compute_90,code=[sm_90,compute_90] -Xptxas -v <extra> -o <out> <file.cu>}.
     */
    public List<String> command(
            Path cuFile, List<Path> includeDirs, List<CudaArch> archs, List<String> extraOptions, Path output) {
        List<CudaArch> sorted = List.copyOf(new TreeSet<>(archs));
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "-fatbin", "-O3", "-std=c++17"));
        for (Path dir : includeDirs) {
            cmd.add("-I" + dir.toAbsolutePath());
        }
        for (int i = 0; i < sorted.size(); i++) {
            CudaArch a = sorted.get(i);
            String code = i == sorted.size() - 1 ? "[" + a + "," + a.computeName() + "]" : a.toString();
            cmd.add("-gencode");
            cmd.add("arch=" + a.computeName() + ",code=" + code);
        }
        cmd.add("-Xptxas");
        cmd.add("-v");
        cmd.addAll(extraOptions);
        cmd.add("-o");
        cmd.add(output.toAbsolutePath().toString());
        cmd.add(cuFile.toAbsolutePath().toString());
        return List.copyOf(cmd);
    }

    @Override
    public String toString() {
        return "nvcc " + version + " at " + executable;
    }

    private record Run(int exit, boolean timedOut, String output) {}

    /** Runs {@code cmd} with stdout and stderr merged (ptxas -v reports on stderr). */
    private static Run run(List<String> cmd, Duration timeout) throws IOException {
        ProcessRunner.Outcome o = ProcessRunner.runMerged(cmd, timeout);
        return new Run(o.exitCode(), o.timedOut(), o.stdout());
    }

    /**
     * The PTX nvcc kept, parsed, keyed {@code sm_NN}: {@code <stem>.compute_NN.ptx} per arch when
     * several were built, a plain {@code <stem>.ptx} when only {@code single} was.
     */
    private static Map<String, PtxMix> keptPtx(Path keep, List<CudaArch> archs) throws IOException {
        Map<String, PtxMix> out = new TreeMap<>();
        CudaArch single = new TreeSet<>(archs).size() == 1 ? archs.get(0) : null;
        try (Stream<Path> files = Files.list(keep)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                Matcher m = KEPT_PTX.matcher(name);
                if (m.matches()) {
                    out.put("sm_" + m.group(1), PtxMix.parse(Files.readString(p, StandardCharsets.UTF_8)));
                } else if (single != null && name.endsWith(".ptx")) {
                    out.put(single.toString(), PtxMix.parse(Files.readString(p, StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(Nvcc::deleteQuietly);
        } catch (IOException ignored) {
            // best effort: a leftover directory in the system's temporary directory is harmless
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a leftover hidden .tmp file is harmless
            }
        }
    }
}
