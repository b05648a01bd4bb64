package dev.attnc.compiler.exec;

import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuBuildException;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.AdditiveSpec;
import dev.attnc.runtime.kernel.PatternBinding;
import java.util.Optional;

/**
 * {@code cuda-emu}: the pattern's generated CUDA kernel, unchanged, built by g++ under the
 * emulation header ({@link CudaEmulator#cached}: once per source hash, kept across processes)
 * and run on the CPU in the options' dtype. The host side (validation, the per-call binding
 * words) is the pattern's {@code PatternBinding} or {@code AdditiveSpec}, as on the device.
 */
final class CudaEmuBackend extends BaseBackend {

    CudaEmuBackend() {
        super("cuda-emu");
    }

    @Override
    public Optional<String> unavailableReason() {
        return EmuToolchain.unavailableReason();
    }

    @Override
    BackendKernel openChecked(CheckedPattern pattern, RunOptions options) {
        PatternIR p = pattern.ir();
        Object host = JavaKernels.hostSide(p);
        CudaEmulator emulator;
        try {
            emulator = CudaEmulator.cached(CudaSources.of(p).plan());
        } catch (EmuBuildException e) {
            throw BackendException.of(
                    name(), "the host compiler failed on the generated kernel:\n" + e.getMessage(), e);
        }
        CudaDtype dtype = options.dtype();
        return new OpenedKernel(name(), pattern, options) {
            @Override
            float[] softmax(AttentionInputs in) {
                return emulator.softmax(p.name(), dtype, (PatternBinding) host, in);
            }

            @Override
            float[] additive(AdditiveInputs in) {
                ((AdditiveSpec) host).check(in, new float[in.shape().elements()]);
                return emulator.additive(p.name(), dtype, in);
            }
        };
    }
}
