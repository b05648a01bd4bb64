package dev.attnc.compiler.exec;

import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.cuda.CudaAdditiveKernel;
import dev.attnc.runtime.cuda.CudaAttentionKernel;
import dev.attnc.runtime.cuda.CudaContext;
import dev.attnc.runtime.cuda.CudaDriver;
import dev.attnc.runtime.cuda.CudaModule;
import dev.attnc.runtime.kernel.AdditiveSpec;
import dev.attnc.runtime.kernel.PatternBinding;
import java.util.Optional;

/**
 * {@code cuda}: the pattern's generated CUDA kernel on device 0, through JCuda: nvcc builds a
 * fatbin for the device's architecture at {@link #open}, {@link CudaModule} loads it (shared
 * process-wide), {@link CudaAttentionKernel} or {@link CudaAdditiveKernel} launches it in the
 * options' dtype. Available only where {@link CudaDriver} finds a driver and a device and nvcc
 * exists; elsewhere {@link #open} fails with the driver's (or nvcc's) reason.
 */
final class CudaBackend extends BaseBackend {

    CudaBackend() {
        super("cuda");
    }

    @Override
    public Optional<String> unavailableReason() {
        return CudaDriver.unavailableReason().or(Nvcc::unavailableReason);
    }

    @Override
    BackendKernel openChecked(CheckedPattern pattern, RunOptions options) {
        PatternIR p = pattern.ir();
        CudaContext device = CudaDriver.context();
        CudaArch arch;
        try {
            arch = CudaArch.parse("sm_" + device.computeCapability());
        } catch (IllegalArgumentException e) {
            throw BackendException.of(name(), "device " + device + ": " + e.getMessage(), e);
        }
        CudaModule module = CudaModule.of(
                p.name(), CudaSources.fatbin(CudaSources.of(p), Nvcc.find().orElseThrow(), arch));
        Object host = JavaKernels.hostSide(p);
        // The kernel of the pattern's kind; the other stays null (inputs are bound for this pattern, so of its kind).
        AttentionKernel softmax =
                host instanceof PatternBinding s ? CudaAttentionKernel.of(s, module, options.dtype()) : null;
        AdditiveKernel additive =
                host instanceof AdditiveSpec a ? new CudaAdditiveKernel(a, module, options.dtype()) : null;
        return new OpenedKernel(name(), pattern, options) {
            @Override
            float[] softmax(AttentionInputs in) {
                return softmax.compute(in);
            }

            @Override
            float[] additive(AdditiveInputs in) {
                return additive.compute(in);
            }
        };
    }
}
