package dev.attnc.compiler.exec;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.BuildResult;
import dev.attnc.compiler.cuda.CudaArch;
import dev.attnc.compiler.cuda.CudaBuildException;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.io.FileTrees;
import dev.attnc.compiler.ir.PatternIR;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CUDA back end's output for the backends that run it: the emulator's loop IR and the device's fatbin. */
final class CudaSources {

    private CudaSources() {}

    /** The pattern's CUDA back end (the loop IR and the {@code .cu} source), as {@code attnc compile} makes it. */
    static Pipeline.CudaOutput of(PatternIR p) {
        return Pipeline.cuda(p, null);
    }

    /**
     * The fatbin of {@code out} for {@code arch}, built by {@code nvcc} in a scratch directory
     * (the {@code .cu} beside the engine headers) that is removed afterwards.
     *
     * @throws BackendException when nvcc fails
     */
    static byte[] fatbin(Pipeline.CudaOutput out, Nvcc nvcc, CudaArch arch) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("attnc-cuda-");
            for (String h : CudaEmitter.HEADERS) {
                Files.writeString(dir.resolve(h), CudaHeaders.text(h));
            }
            Path cu = dir.resolve(out.fileName());
            Files.writeString(cu, out.source());
            BuildResult b =
                    nvcc.build(cu, List.of(dir), List.of(arch), dir, out.plan().pattern());
            return Files.readAllBytes(b.fatbin());
        } catch (CudaBuildException e) {
            throw BackendException.of("cuda", "nvcc failed on the generated kernel:\n" + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }
}
