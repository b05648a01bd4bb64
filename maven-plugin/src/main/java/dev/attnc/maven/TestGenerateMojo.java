package dev.attnc.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code attnc:test-generate}: as {@code generate}, for {@code src/test/attn} into the test
 * source and test resource roots.
 */
@Mojo(name = "test-generate", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public class TestGenerateMojo extends AbstractGenerateMojo {

    /** Where the test specs are. */
    @Parameter(property = "attnc.testSourceDirectory", defaultValue = "${project.basedir}/src/test/attn")
    File sourceDirectory;

    /** Where the Java test sources go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/attnc")
    File outputDirectory;

    /** Where test service registrations and CUDA outputs go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-resources/attnc")
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
        return "test";
    }

    @Override
    void register(File javaRoot, File resourceRoot) {
        project.addTestCompileSourceRoot(javaRoot.getPath());
        addResourceRootOnce(project.getTestResources(), resourceRoot, project::addTestResource);
    }
}
