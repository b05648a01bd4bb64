package dev.attnc.compiler.codegen;

import dev.attnc.compiler.Target;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.tune.ScheduleChoice;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One code generation, as a client asks for it: the Maven plugin (a spec tree, an incremental
 * build; the canonical-but-one constructor) and {@code attnc compile} (files named on the
 * command line, {@link #forFiles}) map their options onto this record and call
 * {@link Codegen#run}. Immutable; {@link #fingerprint} is what the stale check compares besides
 * the specs' contents.
 *
 * @param sourceDir      the spec root ({@code src/main/attn}); unused when {@code files} are named
 * @param includes       glob patterns relative to {@code sourceDir} ({@code **}{@code /*.attn})
 * @param excludes       glob patterns of specs to leave out
 * @param files          spec files named by the user (diagnostics name them so); when not empty
 *                       they replace {@code sourceDir}, {@code includes} and {@code excludes}
 * @param javaOutputDir  generated Java sources ({@code <package>/<Name>Kernel.java}); null (with
 *                       the other output directories): generate, dump and time, write nothing
 * @param resourceOutputDir generated resources: the {@code META-INF/services} registrations
 * @param cudaOutputDir  with the CUDA target: .cu files, engine headers, fatbins, ptxas reports
 * @param serviceFiles   write the {@code META-INF/services} registrations of the Java kernels
 * @param javaPackage    package of the generated classes
 * @param targets        {@code java} and/or {@code cuda}
 * @param archs          CUDA architectures of the fatbins
 * @param nvcc           an nvcc to use instead of looking one up (null: look it up)
 * @param failWithoutNvcc with the CUDA target and no nvcc: fail (true) or warn and skip the fatbins
 * @param schedule       schedule overrides for every pattern ({@code qtile=…,ktile=…,grain=…}, may be null)
 * @param stateFile      where the stale check keeps what the last run read and wrote; null: not
 *                       incremental (every output is written, nothing is deleted)
 * @param toolVersion    the generator's version: a new version regenerates everything
 * @param scheduleChoice how a pattern without explicit {@code schedule} overrides gets one: by
 *                       measurement when it says {@code tune}, else from its cache of tuned
 *                       schedules when that has one, else from the cost model
 *                       ({@link ScheduleChoice#standard()} unless a client says otherwise)
 */
public record CodegenRequest(
        Path sourceDir,
        List<String> includes,
        List<String> excludes,
        List<String> files,
        Path javaOutputDir,
        Path resourceOutputDir,
        Path cudaOutputDir,
        boolean serviceFiles,
        String javaPackage,
        Set<Target> targets,
        List<CudaArch> archs,
        Path nvcc,
        boolean failWithoutNvcc,
        String schedule,
        Path stateFile,
        String toolVersion,
        ScheduleChoice scheduleChoice) {

    /** The resource folder of CUDA outputs, where {@code CudaModule.fromResource} looks. */
    public static final String CUDA_RESOURCES = "dev/attnc/generated/cuda";

    public CodegenRequest {
        includes = List.copyOf(includes.isEmpty() ? List.of("**/*.attn") : includes);
        excludes = List.copyOf(excludes);
        files = List.copyOf(files);
        if (files.isEmpty()) {
            Objects.requireNonNull(sourceDir, "sourceDir");
        }
        if ((javaOutputDir == null) != (resourceOutputDir == null)
                || (javaOutputDir == null) != (cudaOutputDir == null)) {
            throw new IllegalArgumentException("output directories: name all three or none");
        }
        Objects.requireNonNull(javaPackage, "javaPackage");
        targets = Set.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: name at least one of java, cuda");
        }
        archs = List.copyOf(archs);
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(scheduleChoice, "scheduleChoice");
    }

    /** As the canonical constructor, with the standard schedule choice (no tuning, the cache read). */
    public CodegenRequest(
            Path sourceDir,
            List<String> includes,
            List<String> excludes,
            List<String> files,
            Path javaOutputDir,
            Path resourceOutputDir,
            Path cudaOutputDir,
            boolean serviceFiles,
            String javaPackage,
            Set<Target> targets,
            List<CudaArch> archs,
            Path nvcc,
            boolean failWithoutNvcc,
            String schedule,
            Path stateFile,
            String toolVersion) {
        this(
                sourceDir,
                includes,
                excludes,
                files,
                javaOutputDir,
                resourceOutputDir,
                cudaOutputDir,
                serviceFiles,
                javaPackage,
                targets,
                archs,
                nvcc,
                failWithoutNvcc,
                schedule,
                stateFile,
                toolVersion,
                ScheduleChoice.standard());
    }

    /** This request with another schedule choice (e.g. tuning on, or another cache). */
    public CodegenRequest withScheduleChoice(ScheduleChoice choice) {
        return new CodegenRequest(
                sourceDir,
                includes,
                excludes,
                files,
                javaOutputDir,
                resourceOutputDir,
                cudaOutputDir,
                serviceFiles,
                javaPackage,
                targets,
                archs,
                nvcc,
                failWithoutNvcc,
                schedule,
                stateFile,
                toolVersion,
                choice);
    }

    /**
     * A build tool's incremental generation of a spec tree: CUDA outputs under
     * {@code resourceOutputDir/}{@value #CUDA_RESOURCES}, service registrations written.
     */
    public CodegenRequest(
            Path sourceDir,
            List<String> includes,
            List<String> excludes,
            Path javaOutputDir,
            Path resourceOutputDir,
            String javaPackage,
            Set<Target> targets,
            List<CudaArch> archs,
            Path nvcc,
            boolean failWithoutNvcc,
            String schedule,
            Path stateFile,
            String toolVersion) {
        this(
                sourceDir,
                includes,
                excludes,
                List.of(),
                javaOutputDir,
                resourceOutputDir,
                Objects.requireNonNull(resourceOutputDir, "resourceOutputDir").resolve(CUDA_RESOURCES),
                true,
                javaPackage,
                targets,
                archs,
                nvcc,
                failWithoutNvcc,
                schedule,
                Objects.requireNonNull(stateFile, "stateFile"),
                toolVersion);
    }

    /**
     * What {@code attnc compile} asks for: {@code files}, Java sources under
     * {@code out/<package>/}, CUDA outputs under {@code out/cuda/}, every output written (not
     * incremental), no service registrations, nvcc looked up; {@code out} null writes nothing.
     */
    public static CodegenRequest forFiles(
            List<String> files,
            Path out,
            String javaPackage,
            Set<Target> targets,
            List<CudaArch> archs,
            String schedule) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files: name at least one spec file");
        }
        return new CodegenRequest(
                null,
                List.of(),
                List.of(),
                files,
                out,
                out,
                out == null ? null : out.resolve("cuda"),
                false,
                javaPackage,
                targets,
                archs,
                null,
                false,
                schedule,
                null,
                "");
    }

    /** Whether outputs are written (else the run only generates, dumps and times). */
    public boolean writes() {
        return javaOutputDir != null;
    }

    /** Everything but the specs that decides the outputs, as one stable line. */
    public String fingerprint() {
        return "attnc " + toolVersion + "; package " + javaPackage + "; targets " + new TreeSet<>(targets)
                + "; archs " + archs + "; schedule " + (schedule == null ? "" : schedule)
                + (scheduleChoice.tune() ? "; tuned" : "") + "; includes " + includes
                + "; excludes " + excludes + "; java out " + abs(javaOutputDir) + "; resources out "
                + abs(resourceOutputDir);
    }

    private static Path abs(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize();
    }
}
