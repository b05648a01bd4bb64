package dev.attnc.compiler.cuda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A finished nvcc build. Guarantees: the three files exist and were each put in place by one atomic
 * rename; {@code ptxasReportFile} holds exactly {@code report.toText()}.
 *
 * @param fatbin {@code <baseName>.fatbin}: a cubin for every architecture plus PTX for the highest
 * @param ptxasReportFile {@code <baseName>.ptxas.txt}
 * @param report ptxas's per-kernel, per-architecture resources
 * @param cudaReportFile {@code <baseName>.cuda-report.txt}, holding exactly {@code cudaReport.toText()}
 * @param cudaReport occupancy and PTX instruction mix per kernel and architecture
 * @param command the nvcc command line that was run
 * @param diagnostics nvcc's whole output (ptxas info lines and any warnings)
 * @param elapsed wall time of the nvcc run
 */
public record BuildResult(
        Path fatbin,
        Path ptxasReportFile,
        PtxasReport report,
        Path cudaReportFile,
        CudaReport cudaReport,
        List<String> command,
        String diagnostics,
        Duration elapsed) {

    public BuildResult {
        Objects.requireNonNull(fatbin, "fatbin");
        Objects.requireNonNull(ptxasReportFile, "ptxasReportFile");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(cudaReportFile, "cudaReportFile");
        Objects.requireNonNull(cudaReport, "cudaReport");
        command = List.copyOf(command);
        Objects.requireNonNull(diagnostics, "diagnostics");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
