package dev.attnc.maven;

import dev.attnc.compiler.Target;
import dev.attnc.compiler.codegen.Codegen;
import dev.attnc.compiler.codegen.CodegenException;
import dev.attnc.compiler.codegen.CodegenLog;
import dev.attnc.compiler.codegen.CodegenRequest;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.tune.ScheduleCache;
import dev.attnc.compiler.tune.ScheduleChoice;
import java.io.File;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What both goals share: the parameters, their mapping onto an immutable
 * {@link CodegenRequest}, and the call of {@link Codegen}. The Mojo holds no logic of its own
 * (it is tested through real builds in {@code src/it}; the logic through the compiler's tests).
 */
abstract class AbstractGenerateMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    /** Spec files to compile, as globs relative to the source directory (default: every {@code .attn}). */
    @Parameter
    List<String> includes = new ArrayList<>();

    /** Spec files to leave out, as globs relative to the source directory. */
    @Parameter
    List<String> excludes = new ArrayList<>();

    /** Java package of the generated kernels. */
    @Parameter(property = "attnc.package", defaultValue = "dev.attnc.generated")
    String packageName;

    /** What to generate: {@code java}, {@code cuda}, or both. */
    @Parameter(property = "attnc.targets", defaultValue = "java")
    List<String> targets = new ArrayList<>();

    /** CUDA architectures of the fatbins (a cubin each, plus PTX of the newest). */
    @Parameter(property = "attnc.archs", defaultValue = "sm_80,sm_90")
    String archs;

    /** The nvcc to use (default: ATTNC_NVCC, CUDA_HOME/bin/nvcc, /usr/local/cuda/bin/nvcc, then PATH). */
    @Parameter(property = "attnc.nvcc")
    File nvcc;

    /** With the CUDA target and no nvcc: fail the build (true) or warn and skip the fatbins (false). */
    @Parameter(property = "attnc.failWithoutNvcc", defaultValue = "false")
    boolean failWithoutNvcc;

    /**
     * Schedule overrides for every pattern: {@code qtile=…,ktile=…,grain=…,rows=…,vecs=…,bits=…};
     * they win over tuned schedules.
     */
    @Parameter(property = "attnc.schedule")
    String schedule;

    /**
     * Choose each softmax pattern's schedule by timing a few candidates on this machine (about
     * 2 s per pattern) and cache the choice under {@code ${user.home}/.cache/attnc/} (or the file
     * of {@code -Dattnc.tune.cache}). Off by default; without it a build still uses a schedule
     * cached for this machine and pattern when there is one (logged). Needs the
     * {@code jdk.incubator.vector} module in Maven's JVM ({@code .mvn/jvm.config}:
     * {@code --add-modules jdk.incubator.vector}); without it the build warns and does not tune.
     */
    @Parameter(property = "attnc.tune", defaultValue = "false")
    boolean tune;

    /** Skips the goal. */
    @Parameter(property = "attnc.skip", defaultValue = "false")
    boolean skip;

    abstract File sourceDirectory();

    abstract File outputDirectory();

    abstract File resourceOutputDirectory();

    abstract String stateName();

    /** Registers the output roots with the project (main or test). */
    abstract void register(File javaRoot, File resourceRoot);

    /** Adds {@code root} to {@code roots} through {@code add} unless a run of the goal already did. */
    static void addResourceRootOnce(List<Resource> roots, File root, Consumer<Resource> add) {
        if (roots.stream().noneMatch(r -> new File(r.getDirectory()).equals(root))) {
            Resource r = new Resource();
            r.setDirectory(root.getPath());
            add.accept(r);
        }
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("attnc: skipped");
            return;
        }
        CodegenRequest request = request();
        try {
            Codegen.run(request, log(), project.getBasedir().toPath());
        } catch (CodegenException e) {
            throw new MojoFailureException("attnc: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("attnc: internal error: " + e, e);
        }
        register(outputDirectory(), resourceOutputDirectory());
        if (!compilesWithVectorModule(project)) {
            getLog().warn("attnc: the generated kernels use the incubating Vector API, and maven-compiler-plugin "
                    + "is not given the module: add <compilerArgs><arg>--add-modules</arg>"
                    + "<arg>jdk.incubator.vector</arg></compilerArgs> to its configuration, or javac fails with "
                    + "'package jdk.incubator.vector is not visible'");
        }
    }

    /**
     * Whether the project's maven-compiler-plugin names {@code jdk.incubator.vector} in its
     * configuration or an execution's (where {@code --add-modules} goes), which the generated
     * sources need to compile.
     */
    static boolean compilesWithVectorModule(MavenProject project) {
        org.apache.maven.model.Plugin compiler = project.getPlugin("org.apache.maven.plugins:maven-compiler-plugin");
        if (compiler == null) {
            return false;
        }
        if (String.valueOf(compiler.getConfiguration()).contains("jdk.incubator.vector")) {
            return true;
        }
        return compiler.getExecutions().stream()
                .anyMatch(e -> String.valueOf(e.getConfiguration()).contains("jdk.incubator.vector"));
    }

    CodegenRequest request() throws MojoFailureException {
        Set<Target> t = EnumSet.noneOf(Target.class);
        for (String name : targets) {
            for (String part : name.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (p.equals("java")) {
                    t.add(Target.JAVA);
                } else if (p.equals("cuda")) {
                    t.add(Target.CUDA);
                } else if (!p.isEmpty()) {
                    throw new MojoFailureException(
                            "attnc: targets: unknown target '" + part.trim() + "'; use java and/or cuda");
                }
            }
        }
        List<CudaArch> archList;
        try {
            archList = CudaArch.parseList(archs);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("attnc: archs: " + e.getMessage());
        }
        if (!javax.lang.model.SourceVersion.isName(packageName)) {
            throw new MojoFailureException("attnc: packageName '" + packageName + "' is not a Java package name");
        }
        File state = new File(project.getBuild().getDirectory(), "attnc/" + stateName() + ".state");
        try {
            return new CodegenRequest(
                            sourceDirectory().toPath(),
                            includes,
                            excludes,
                            outputDirectory().toPath(),
                            resourceOutputDirectory().toPath(),
                            packageName,
                            t,
                            archList,
                            nvcc == null ? null : nvcc.toPath(),
                            failWithoutNvcc,
                            schedule,
                            state.toPath(),
                            plugin.getVersion())
                    .withScheduleChoice(
                            new ScheduleChoice(tune, ScheduleCache.standard(), ScheduleChoice.DEFAULT_BUDGET_NANOS));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("attnc: " + e.getMessage());
        }
    }

    private CodegenLog log() {
        return new CodegenLog() {
            @Override
            public void info(String message) {
                getLog().info(message);
            }

            @Override
            public void warn(String message) {
                getLog().warn(message);
            }

            @Override
            public void error(String message) {
                getLog().error(message);
            }
        };
    }
}
