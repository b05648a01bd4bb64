package dev.attnc.compiler.codegen;

import dev.attnc.compiler.PassObserver;
import dev.attnc.compiler.cuda.BuildResult;
import dev.attnc.compiler.cuda.CudaBuildException;
import dev.attnc.compiler.cuda.FatbinBuilds;
import dev.attnc.compiler.cuda.Nvcc;
import dev.attnc.compiler.emit.CudaEmitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CUDA target's build step (pass {@code nvcc}): a fatbin (a cubin per arch plus PTX of the
 * newest), a ptxas report and a static report (occupancy, PTX instruction mix) per generated {@code .cu}, where nvcc exists; without nvcc a
 * warning, or a failure when the request says so.
 */
final class FatbinStep {

    /** A nonzero spill in nvcc's output: entry functions and out-of-line device functions alike. */
    private static final Pattern SPILLS = Pattern.compile("[1-9][0-9]* bytes spill");

    private FatbinStep() {}

    /**
     * Fatbins of the generated {@code .cu} files among {@code outputs} whose source was written
     * or whose fatbin is missing (the built ones are added to {@code written}); returns every
     * fatbin and report path that belongs to this run's outputs.
     */
    static List<Path> run(
            CodegenRequest r, Iterable<Path> outputs, List<Path> written, CodegenLog log, PassObserver obs)
            throws CodegenException {
        List<Path> sources = new ArrayList<>();
        for (Path p : outputs) {
            if (p.getFileName().toString().endsWith(".cu")) {
                sources.add(p);
            }
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        Optional<Nvcc> nvcc;
        String why;
        if (r.nvcc() != null) {
            Nvcc.Lookup l = Nvcc.locate(Map.of("ATTNC_NVCC", r.nvcc().toString()));
            nvcc = l.nvcc();
            why = l.description();
        } else {
            nvcc = Nvcc.find();
            why = Nvcc.unavailableReason().orElse("nvcc not found");
        }
        if (nvcc.isEmpty()) {
            if (r.failWithoutNvcc()) {
                log.error("attnc: " + why);
                throw new CodegenException("the CUDA target needs nvcc to build fatbins: " + why);
            }
            log.warn("attnc: no CUDA fatbins: " + why
                    + " (the .cu sources are written; build them with nvcc, or set ATTNC_NVCC)");
            return List.of();
        }
        List<Path> produced = new ArrayList<>();
        List<FatbinBuilds.Job> jobs = new ArrayList<>();
        boolean headersChanged = written.stream()
                .anyMatch(p -> CudaEmitter.HEADERS.contains(p.getFileName().toString()));
        for (Path cu : sources) {
            String base = cu.getFileName().toString().replaceFirst("\\.cu$", "");
            Path fatbin = cu.resolveSibling(base + ".fatbin");
            Path report = cu.resolveSibling(base + ".ptxas.txt");
            Path cudaReport = cu.resolveSibling(base + Nvcc.CUDA_REPORT_SUFFIX);
            produced.add(fatbin);
            produced.add(report);
            produced.add(cudaReport);
            if (written.contains(cu)
                    || !Files.exists(fatbin)
                    || !Files.exists(report)
                    || !Files.exists(cudaReport)
                    || headersChanged) {
                jobs.add(new FatbinBuilds.Job(cu, base));
            }
        }
        if (!jobs.isEmpty()) {
            log.info("attnc: nvcc " + nvcc.get().version() + ": " + jobs.size() + " fatbin(s) for " + r.archs());
            long start = System.nanoTime();
            try {
                for (BuildResult b : FatbinBuilds.run(
                        nvcc.get(), jobs, r.archs(), sources.get(0).getParent(), 2)) {
                    written.add(b.fatbin());
                    written.add(b.ptxasReportFile());
                    written.add(b.cudaReportFile());
                    log.progress("wrote " + b.fatbin() + " (" + r.archs() + ", "
                            + b.elapsed().toMillis() + " ms), "
                            + b.ptxasReportFile().getFileName() + " and "
                            + b.cudaReportFile().getFileName());
                    if (SPILLS.matcher(b.diagnostics()).find()) {
                        log.warn("attnc: " + b.fatbin().getFileName() + ": ptxas reports register spills (see "
                                + b.ptxasReportFile().getFileName() + "); the kernel works but runs slower");
                    }
                }
            } catch (CudaBuildException e) {
                log.error(e.getMessage());
                throw new CodegenException("nvcc failed on a generated kernel (please report it)", e);
            } finally {
                obs.timed("nvcc", System.nanoTime() - start);
            }
        }
        return produced;
    }
}
