package dev.attnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated CUDA of every pattern in {@code specs/} against {@code golden/cuda/<pattern>.cu}
 * (rewrite on purpose with {@code -Dattnc.update.golden=true}), generated twice to the same
 * bytes. That the sources compile (nvcc and g++) and compute the right values is
 * {@code GeneratedLibraryTest}'s (nvcc, in {@code generated/}) and {@code CudaEmulatedKernelsTest}'s job.
 */
class CudaGoldenTest {

    private static final Golden GOLDEN = Golden.of("cuda", ".cu");

    @TestFactory
    Stream<DynamicTest> generatedCudaMatchesTheGoldenFiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        for (PatternIR p : JavaGoldenTest.allPatterns().values()) {
            Pipeline.CudaOutput o = Pipeline.cuda(p, null);
            names.add(o.plan().pattern());
            tests.add(DynamicTest.dynamicTest(o.fileName(), () -> {
                assertEquals(o.source(), Pipeline.cuda(p, null).source(), "generating twice must give the same bytes");
                assertTrue(o.source().contains("extern \"C\" __global__"), "an entry point");
                GOLDEN.check(o.plan().pattern(), o.source());
            }));
        }
        tests.add(DynamicTest.dynamicTest("no stale golden files", () -> GOLDEN.checkNoOthers(names)));
        return tests.stream();
    }
}
