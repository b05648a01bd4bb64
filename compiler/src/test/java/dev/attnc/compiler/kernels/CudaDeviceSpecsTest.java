package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.cuda.CudaAdditiveKernel;
import dev.attnc.runtime.cuda.CudaAttentionKernel;
import dev.attnc.runtime.cuda.CudaDriver;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaModule;
import dev.attnc.runtime.cuda.DeviceBuffer;
import dev.attnc.runtime.cuda.DeviceInputs;
import dev.attnc.runtime.cuda.PreparedLaunch;
import dev.attnc.runtime.kernel.AdditiveAttentionKernel;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pattern of every spec in {@code specs/} on a real device, against the dense reference:
 * the emulated tests' cases and tolerances, run through JCuda instead of the CPU emulator. nvcc
 * builds each pattern's fatbin for the device's architecture, {@link CudaModule} loads it.
 *
 * <ul>
 *   <li>Softmax patterns: {@link CudaEmulatedKernelsTest}'s lengths ({1, 17, 64, 65, 257} in fp32,
 *       {17, 65} in fp16 and bf16) and cases ({@link CudaEmulatedKernelsTest#caseFor}: padding,
 *       runtime globals, separate global projections and both layouts varying), plus n = 1000;
 *       {@code |got − want| ≤ a + a·|want|} with fp32 a = 1e-4, fp16 1e-2, bf16 6e-2.</li>
 *   <li>Additive patterns: {@link CudaEmulatedAdditiveTest}'s inputs (with and without
 *       {@code W_r} and padding) at n ∈ {1, 17, 65, 257, 1001} in fp32 and 17 in fp16 and bf16
 *       against {@code AdditiveReference}; {@code |got − want| ≤ a·(1 + |want|)} with fp32
 *       1e-4, fp16 2e-2, bf16 1.2e-1.</li>
 * </ul>
 *
 * Each pattern also runs through {@link PreparedLaunch} (the device benchmark's path) at n = 257
 * in every dtype, which must give {@code compute}'s bits exactly.
 *
 * <p>Skipped with the reason without a device or nvcc; a failure instead with
 * {@code -Dattnc.cuda.require=true} ({@link DeviceRequirement}).
 */
class CudaDeviceSpecsTest {

    static final int[] LENGTHS = {1, 17, 64, 65, 257, 1000};
    static final int[] HALF_LENGTHS = {17, 65};
    static final int[] ADDITIVE_LENGTHS = {1, 17, 65, 257, 1001};

    @TempDir
    static Path work;

    @TestFactory
    Stream<DynamicTest> everySpecKernelMatchesTheReferenceOnTheDevice() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : specFiles()) {
            String display = "specs/" + file.getFileName();
            Pipeline.Result r = Pipeline.compileFile(file, display);
            for (PatternIR p : r.patterns()) {
                tests.add(DynamicTest.dynamicTest(display + " " + p.name(), () -> {
                    DeviceRequirement.needsADevice();
                    CudaModule module = module(p);
                    if (p.isAdditive()) {
                        additive(p, module);
                    } else {
                        softmax(r, p, module);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static void softmax(Pipeline.Result r, PatternIR p, CudaModule module) {
        PatternBinding binding = KernelHarness.binding(p);
        long seed = p.name().hashCode();
        int k = Math.floorMod(seed, 60);
        for (int n : LENGTHS) {
            check(
                    r,
                    p,
                    CudaAttentionKernel.of(binding, module, CudaDtype.F32),
                    CudaEmulatedKernelsTest.caseFor(p, n, seed, k++),
                    1e-4);
        }
        for (int n : HALF_LENGTHS) {
            check(
                    r,
                    p,
                    CudaAttentionKernel.of(binding, module, CudaDtype.F16),
                    CudaEmulatedKernelsTest.caseFor(p, n, seed + 1, k++),
                    1e-2);
            check(
                    r,
                    p,
                    CudaAttentionKernel.of(binding, module, CudaDtype.BF16),
                    CudaEmulatedKernelsTest.caseFor(p, n, seed + 2, k++),
                    6e-2);
        }
    }

    private static void check(
            Pipeline.Result r, PatternIR p, CudaAttentionKernel kernel, KernelHarness.Case c, double tol) {
        KernelHarness.compare(
                r.unit().orElseThrow(),
                p,
                kernel::compute,
                c,
                2f,
                tol,
                tol,
                " (cuda " + kernel.dtype().suffix() + ")");
    }

    private static void additive(PatternIR p, CudaModule module) {
        AdditiveAttentionKernel java = (AdditiveAttentionKernel) dev.attnc.compiler.jit.KernelCompiler.load(p, null);
        int k = 0;
        for (int n : ADDITIVE_LENGTHS) {
            additive(p, new CudaAdditiveKernel(java.spec(), module, CudaDtype.F32), n, k++ % 4, 1e-4);
        }
        additive(p, new CudaAdditiveKernel(java.spec(), module, CudaDtype.F16), 17, k++ % 4, 2e-2);
        additive(p, new CudaAdditiveKernel(java.spec(), module, CudaDtype.BF16), 17, k++ % 4, 1.2e-1);
    }

    private static void additive(PatternIR p, CudaAdditiveKernel kernel, int n, int variant, double tol) {
        AdditiveInputs in =
                CudaEmulatedAdditiveTest.inputs(p, n, variant, p.name().hashCode() * 31L + n * 7L + variant, false);
        CudaEmulatedAdditiveTest.compare(
                p, in, kernel.compute(in), tol, "cuda " + kernel.dtype().suffix() + " n=" + n + " variant " + variant);
    }

    /**
     * The benchmark's path ({@link PreparedLaunch}: bindings uploaded once, launches replayed)
     * gives the same bits as {@code compute}, run twice: the same launches on the same data.
     */
    private static void preparedEqualsCompute(Pipeline.Result r, PatternIR p, CudaModule module) {
        for (CudaDtype dtype : CudaDtype.values()) {
            CudaAttentionKernel kernel = CudaAttentionKernel.of(KernelHarness.binding(p), module, dtype);
            AttentionInputs in = KernelHarness.inputs(
                    p, CudaEmulatedKernelsTest.caseFor(p, 257, p.name().hashCode() + 3L, 1), 2f);
            float[] want = kernel.compute(in);
            float[] got = new float[want.length];
            try (DeviceBuffer q = upload("q", in.q(), dtype);
                    DeviceBuffer k = upload("k", in.k(), dtype);
                    DeviceBuffer v = upload("v", in.v(), dtype);
                    DeviceBuffer qg = in.hasGlobalProjections() ? upload("qg", in.qg(), dtype) : null;
                    DeviceBuffer kg = in.hasGlobalProjections() ? upload("kg", in.kg(), dtype) : null;
                    DeviceBuffer vg = in.hasGlobalProjections() ? upload("vg", in.vg(), dtype) : null;
                    DeviceBuffer out = DeviceBuffer.allocate("out", (long) want.length * dtype.bytes());
                    PreparedLaunch call = kernel.prepare(new DeviceInputs(in, q, k, v, qg, kg, vg), out)) {
                assertEquals(1, call.launches());
                call.run();
                call.run();
                download(out, dtype, got);
            }
            assertArrayEquals(want, got, p.name() + " " + dtype + ": prepared launch vs compute");
        }
    }

    private static void preparedAdditiveEqualsCompute(PatternIR p, CudaModule module) {
        AdditiveAttentionKernel java = (AdditiveAttentionKernel) dev.attnc.compiler.jit.KernelCompiler.load(p, null);
        for (CudaDtype dtype : CudaDtype.values()) {
            CudaAdditiveKernel kernel = new CudaAdditiveKernel(java.spec(), module, dtype);
            AdditiveInputs in =
                    CudaEmulatedAdditiveTest.inputs(p, 257, 3, p.name().hashCode() + 5L, false);
            float[] want = kernel.compute(in);
            float[] got = new float[want.length];
            try (PreparedLaunch call = kernel.prepare(in)) {
                assertEquals(5, call.launches());
                call.run();
                call.run();
                download(call.output(), dtype, got);
            }
            assertArrayEquals(want, got, p.name() + " " + dtype + ": prepared launch vs compute");
        }
    }

    private static DeviceBuffer upload(String name, float[] data, CudaDtype dtype) {
        return dtype == CudaDtype.F32 ? DeviceBuffer.of(name, data) : DeviceBuffer.of(name, dtype.toBits(data));
    }

    private static void download(DeviceBuffer b, CudaDtype dtype, float[] out) {
        if (dtype == CudaDtype.F32) {
            b.download(out);
        } else {
            short[] bits = new short[out.length];
            b.download(bits);
            dtype.fromBits(bits, out);
        }
    }

    /** Every {@code *.attn} of the specs folder, sorted. */
    private static List<Path> specFiles() throws Exception {
        try (Stream<Path> s = Files.list(SpecKernelsTest.specs())) {
            return s.filter(f -> f.getFileName().toString().endsWith(".attn"))
                    .sorted()
                    .toList();
        }
    }

    /** The pattern's fatbin for the device's architecture, built by nvcc and loaded. */
    private static CudaModule module(PatternIR p) throws Exception {
        CudaArch arch = CudaArch.parse("sm_" + CudaDriver.context().computeCapability());
        Pipeline.CudaOutput o = Pipeline.cuda(p, null);
        Path dir = Files.createDirectories(work.resolve(p.name()));
        for (String h : CudaEmitter.HEADERS) {
            Files.writeString(dir.resolve(h), CudaHeaders.text(h));
        }
        Path cu = dir.resolve(o.fileName());
        Files.writeString(cu, o.source());
        Path fatbin = Nvcc.find()
                .orElseThrow()
                .build(cu, List.of(dir), List.of(arch), dir, p.name())
                .fatbin();
        return CudaModule.of(p.name(), Files.readAllBytes(fatbin));
    }
}
