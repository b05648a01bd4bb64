package dev.attnc.compiler.cuda;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds the fatbins of several generated {@code .cu} files (each beside the engine headers
 * in its directory), a few nvcc processes at a time: nvcc takes seconds per file and arch,
 * and one process uses one core. Results come back in the order of the inputs; the first
 * failure is thrown after every build has ended (nothing keeps running behind the caller).
 */
public final class FatbinBuilds {

    private FatbinBuilds() {}

    /** One build: the source and the output base name ({@code <base>.fatbin}, {@code <base>.ptxas.txt}). */
    public record Job(Path cuFile, String baseName) {}

    public static List<BuildResult> run(Nvcc nvcc, List<Job> jobs, List<CudaArch> archs, Path outDir, int parallelism)
            throws CudaBuildException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism), r -> {
            Thread t = new Thread(r, "nvcc");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BuildResult>> futures = new ArrayList<>();
            for (Job j : jobs) {
                futures.add(pool.submit(
                        () -> nvcc.build(j.cuFile(), List.of(j.cuFile().getParent()), archs, outDir, j.baseName())));
            }
            List<BuildResult> results = new ArrayList<>();
            CudaBuildException failure = null;
            for (Future<BuildResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CudaBuildException c) {
                        failure = failure == null ? c : failure;
                    } else if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while nvcc was running", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
