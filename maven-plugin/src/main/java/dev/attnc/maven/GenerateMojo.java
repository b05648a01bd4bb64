package dev.attnc.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code attnc:generate}: compiles {@code src/main/attn/**}{@code /*.attn} into Java kernels under
 * {@code target/generated-sources/attnc} (a compile source root) and, with the CUDA target,
 * {@code .cu} sources and fatbins under {@code target/generated-resources/attnc} (a resource
 * root, so that {@code CudaModule.fromResource} finds them on the class path).
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractGenerateMojo {

    /** Where the specs are. */
    @Parameter(property = "attnc.sourceDirectory", defaultValue = "${project.basedir}/src/main/attn")
    File sourceDirectory;

    /** Where the Java sources go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/attnc")
    File outputDirectory;

    /** Where service registrations and CUDA outputs go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/attnc")
    File resourceOutputDirectory;

    @Override
    File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    File outputDirectory() {
        return outputDirectory;
    }

    @Override
    File resourceOutputDirectory() {
        return resourceOutputDirectory;
    }

    @Override
    String stateName() {
        return "main";
    }

    @Override
    void register(File javaRoot, File resourceRoot) {
        project.addCompileSourceRoot(javaRoot.getPath());
        addResourceRootOnce(project.getResources(), resourceRoot, project::addResource);
    }
}
