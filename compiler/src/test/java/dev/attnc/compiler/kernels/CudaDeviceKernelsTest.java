package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.BuildResult;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaAdditiveKernel;
import dev.attnc.runtime.cuda.CudaAttentionKernel;
import dev.attnc.runtime.cuda.CudaDriver;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaModule;
import dev.attnc.runtime.kernel.AdditiveAttentionKernel;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated CUDA kernels on a real device, through JCuda: nvcc builds the fatbin for the
 * device's architecture, {@link CudaModule} loads it, {@link CudaAttentionKernel} launches it,
 * and the output is compared with the dense reference (fp32 1e-4 + 1e-4·|want|, fp16 1e-2,
 * bf16 6e-2, as in the emulated tests). Runs where a CUDA device and nvcc exist; elsewhere it
 * is skipped with the driver's reason (this project's machines have no GPU: the same kernels
 * are checked on the CPU by {@code CudaEmulatedKernelsTest}).
 */
class CudaDeviceKernelsTest {

    @TempDir
    static Path work;

    /** In the test, not in a {@code @BeforeAll}: Surefire reports a skipped test with its reason, not a skipped class. */
    static void needsADevice() {
        DeviceRequirement.needsADevice();
    }

    @Test
    void longformerBigBirdAndDilatedKernelsMatchTheReferenceOnTheDevice() throws Exception {
        needsADevice();
        int cc = CudaDriver.context().computeCapability();
        CudaArch arch = CudaArch.parse("sm_" + cc);
        for (String[] pick : new String[][] {
            {"longformer.attn", "longformer_base"},
            {"bigbird.attn", "bigbird_itc"},
            {"longformer_char.attn", "longformer_char_small"}
        }) {
            Pipeline.Result r = Pipeline.compileFile(SpecKernelsTest.specs().resolve(pick[0]), "specs/" + pick[0]);
            PatternIR p = r.pattern(pick[1]).orElseThrow();
            BuildResult b = build(p, arch);
            CudaModule module = CudaModule.of(p.name(), Files.readAllBytes(b.fatbin()));
            PatternBinding binding = KernelHarness.binding(p);
            int k = 0;
            for (CudaDtype dtype : CudaDtype.values()) {
                double tol = dtype == CudaDtype.F32 ? 1e-4 : dtype == CudaDtype.F16 ? 1e-2 : 6e-2;
                CudaAttentionKernel kernel = CudaAttentionKernel.of(binding, module, dtype);
                for (int n : new int[] {1, 17, 65, 257, 1000}) {
                    Case c = new Case(
                            2,
                            p.heads().orElse(2),
                            n,
                            k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD,
                            k % 3 == 1,
                            k % 2 == 1,
                            k % 4 == 2,
                            (int) Math.floorMod((long) n, p.layers().orElse(1)),
                            7L * n + k);
                    k++;
                    KernelHarness.compare(
                            r.unit().orElseThrow(), p, kernel::compute, c, 2f, tol, tol, " (cuda " + dtype + ")");
                }
            }
        }
    }

    @Test
    void fastformerKernelsMatchTheReferenceOnTheDevice() throws Exception {
        needsADevice();
        CudaArch arch = CudaArch.parse("sm_" + CudaDriver.context().computeCapability());
        Pipeline.Result r =
                Pipeline.compileFile(SpecKernelsTest.specs().resolve("fastformer.attn"), "specs/fastformer.attn");
        for (PatternIR p : r.patterns()) {
            CudaModule module =
                    CudaModule.of(p.name(), Files.readAllBytes(build(p, arch).fatbin()));
            AdditiveAttentionKernel java =
                    (AdditiveAttentionKernel) dev.attnc.compiler.jit.KernelCompiler.load(p, null);
            int k = 0;
            for (CudaDtype dtype : CudaDtype.values()) {
                double tol = dtype == CudaDtype.F32 ? 1e-4 : dtype == CudaDtype.F16 ? 2e-2 : 1.2e-1;
                CudaAdditiveKernel kernel = new CudaAdditiveKernel(java.spec(), module, dtype);
                for (int n : new int[] {1, 17, 65, 257, 1000, 9000}) {
                    AdditiveInputs in = CudaEmulatedAdditiveTest.inputs(p, n, k % 4, 11L * n + k, false);
                    k++;
                    double[] want = AdditiveReference.attention(in, p.effectiveScale());
                    float[] got = kernel.compute(in);
                    for (int x = 0; x < want.length; x++) {
                        assertEquals(
                                want[x],
                                got[x],
                                tol * (1 + Math.abs(want[x])),
                                p.name() + " " + dtype + " n=" + n + " element " + x);
                    }
                }
            }
        }
    }

    private static BuildResult build(PatternIR p, CudaArch arch) throws Exception {
        Pipeline.CudaOutput o = Pipeline.cuda(p, null);
        Path dir = Files.createDirectories(work.resolve(p.name()));
        for (String h : CudaEmitter.HEADERS) {
            Files.writeString(dir.resolve(h), CudaHeaders.text(h));
        }
        Path cu = dir.resolve(o.fileName());
        Files.writeString(cu, o.source());
        return Nvcc.find().orElseThrow().build(cu, List.of(dir), List.of(arch), dir, p.name());
    }
}
