package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.ir.PatternIR;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kernel generated from {@code specs/} builds with nvcc for sm_80 and sm_90 (cubins plus
 * PTX, one fatbin per pattern), and ptxas reports no spill stores or loads, at most 255
 * registers and at most 48 KB of static shared memory for every entry and arch. The resources
 * of every kernel are written to {@code target/cuda-resources.txt} (and printed), so a change
 * that costs registers shows in the build log. Skipped, with the reason, where nvcc is absent.
 */
class CudaBuildTest {

    static final List<CudaArch> ARCHS = CudaArch.parseList("sm_80,sm_90");

    @TempDir
    static Path work;

    static final List<BuildResult> RESULTS = new ArrayList<>();
    static final List<String> PATTERNS = new ArrayList<>();

    @BeforeAll
    static void buildAll() throws Exception {
        assumeTrue(Nvcc.unavailableReason().isEmpty(), () -> Nvcc.unavailableReason().orElse(""));
        Nvcc nvcc = Nvcc.find().orElseThrow();
        Path src = Files.createDirectories(work.resolve("cuda"));
        for (String h : CudaEmitter.HEADERS) {
            Files.writeString(src.resolve(h), CudaHeaders.text(h));
        }
        List<FatbinBuilds.Job> jobs = new ArrayList<>();
        try (Stream<Path> specs = Files.list(specsDir())) {
            for (Path spec : specs.filter(p -> p.toString().endsWith(".attn")).sorted().toList()) {
                Pipeline.Result r = Pipeline.compileFile(spec, "specs/" + spec.getFileName());
                assertTrue(r.ok(), r.diagnostics().render());
                for (PatternIR p : r.patterns()) {
                    Pipeline.CudaOutput o = Pipeline.cuda(p, null);
                    Path cu = src.resolve(o.fileName());
                    Files.writeString(cu, o.source());
                    jobs.add(new FatbinBuilds.Job(cu, o.plan().pattern()));
                    PATTERNS.add(o.plan().pattern());
                }
            }
        }
        RESULTS.addAll(FatbinBuilds.run(nvcc, jobs, ARCHS, work.resolve("out"), 2));
        StringBuilder all = new StringBuilder("# ptxas -v of every kernel generated from specs/ (" + nvcc.version() + ")\n");
        for (BuildResult b : RESULTS) {
            all.append(b.report().toText());
        }
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("cuda-resources.txt"), all);
        }
        System.out.print(all);
    }

    static Path specsDir() {
        String dir = System.getProperty("attnc.specs.dir");
        return (dir == null || dir.isBlank() ? Path.of("..", "specs") : Path.of(dir)).toAbsolutePath().normalize();
    }

    @TestFactory
    Stream<DynamicTest> everyEntryBuildsForEachArchWithoutSpills() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int x = 0; x < RESULTS.size(); x++) {
            BuildResult b = RESULTS.get(x);
            String pattern = PATTERNS.get(x);
            tests.add(DynamicTest.dynamicTest(pattern, () -> {
                assertTrue(Files.size(b.fatbin()) > 0);
                assertTrue(Fatbin.hasMagic(Files.readAllBytes(b.fatbin())), "fatbin magic");
                assertFalse(java.util.regex.Pattern.compile("[1-9][0-9]* bytes spill").matcher(b.diagnostics()).find(),
                        "no function of the module spills (out-of-line device functions included):\n" + b.diagnostics());
                List<KernelResources> kernels = b.report().kernels();
                assertFalse(kernels.isEmpty(), "ptxas reported no kernel for " + pattern);
                assertEquals(kernels.stream().map(KernelResources::kernel).distinct().count() * ARCHS.size(), kernels.size(),
                        "every entry for every arch: " + kernels);
                for (KernelResources k : kernels) {
                    assertTrue(k.kernel().startsWith(pattern + "_"), k.kernel());
                    assertEquals(0, k.spillStoreBytes(), k + ": spill stores");
                    assertEquals(0, k.spillLoadBytes(), k + ": spill loads");
                    assertTrue(k.registers() <= 255, k + ": registers");
                    assertTrue(k.sharedBytes() <= 48 * 1024, k + ": static shared memory above 48 KB");
                }
            }));
        }
        return tests.stream();
    }
}
