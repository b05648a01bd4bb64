package dev.attnc.compiler.codegen;

import dev.attnc.compiler.cuda.CudaArch;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One build-time code generation, as a build tool asks for it (the Maven plugin maps its
 * parameters onto this record and calls {@link Codegen#run}): which specs, where the outputs
 * go, and how. Immutable; {@link #fingerprint} is what the stale check compares besides the
 * specs' contents.
 *
 * @param sourceDir      the spec root ({@code src/main/attn})
 * @param includes       glob patterns relative to {@code sourceDir} ({@code **}{@code /*.attn})
 * @param excludes       glob patterns of specs to leave out
 * @param javaOutputDir  generated Java sources ({@code <package>/<Name>Kernel.java})
 * @param resourceOutputDir generated resources: {@code META-INF/services} registrations, and
 *                       with the CUDA target {@code dev/attnc/generated/cuda/} (.cu, headers,
 *                       fatbins, ptxas reports)
 * @param javaPackage    package of the generated classes
 * @param targets        {@code java} and/or {@code cuda}
 * @param archs          CUDA architectures of the fatbins
 * @param nvcc           an nvcc to use instead of looking one up (null: look it up)
 * @param failWithoutNvcc with the CUDA target and no nvcc: fail (true) or warn and skip the fatbins
 * @param schedule       schedule overrides for every pattern ({@code qtile=…,ktile=…,grain=…}, may be null)
 * @param stateFile      where the stale check keeps what the last run read and wrote
 * @param toolVersion    the generator's version: a new version regenerates everything
 */
public record CodegenRequest(Path sourceDir, List<String> includes, List<String> excludes, Path javaOutputDir,
                             Path resourceOutputDir, String javaPackage, Set<Target> targets, List<CudaArch> archs,
                             Path nvcc, boolean failWithoutNvcc, String schedule, Path stateFile, String toolVersion) {

    /** What to generate. */
    public enum Target { JAVA, CUDA }

    /** The resource folder of CUDA outputs, where {@code CudaModule.fromResource} looks. */
    public static final String CUDA_RESOURCES = "dev/attnc/generated/cuda";

    public CodegenRequest {
        Objects.requireNonNull(sourceDir, "sourceDir");
        includes = List.copyOf(includes.isEmpty() ? List.of("**/*.attn") : includes);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(javaOutputDir, "javaOutputDir");
        Objects.requireNonNull(resourceOutputDir, "resourceOutputDir");
        Objects.requireNonNull(javaPackage, "javaPackage");
        targets = Set.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: name at least one of java, cuda");
        }
        archs = List.copyOf(archs);
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(toolVersion, "toolVersion");
    }

    /** Everything but the specs that decides the outputs, as one stable line. */
    public String fingerprint() {
        return "attnc " + toolVersion + "; package " + javaPackage + "; targets " + new java.util.TreeSet<>(targets)
                + "; archs " + archs + "; schedule " + (schedule == null ? "" : schedule) + "; includes " + includes
                + "; excludes " + excludes + "; java out " + javaOutputDir.toAbsolutePath().normalize()
                + "; resources out " + resourceOutputDir.toAbsolutePath().normalize();
    }
}
