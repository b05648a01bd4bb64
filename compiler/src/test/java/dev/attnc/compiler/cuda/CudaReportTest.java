package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.ir.PatternIR;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static report: its table from given numbers, and on a real generated kernel where nvcc exists. */
class CudaReportTest {

    private static final String PTXAS = ""
            + "ptxas info    : Compiling entry function 'k' for 'sm_80'\n"
            + "ptxas info    : Function properties for k\n"
            + "    0 bytes stack frame, 8 bytes spill stores, 4 bytes spill loads\n"
            + "ptxas info    : Used 166 registers, used 1 barriers, 44032 bytes smem, 380 bytes cmem[0]\n"
            + "ptxas info    : Compiling entry function 'k' for 'sm_90'\n"
            + "ptxas info    : Function properties for k\n"
            + "    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n"
            + "ptxas info    : Used 32 registers, used 1 barriers, 44032 bytes smem\n"
            + "ptxas info    : Compiling entry function 'k' for 'sm_120'\n"
            + "ptxas info    : Used 32 registers, used 1 barriers, 44032 bytes smem\n";

    private static final String PTX = ".version 9.0\n.target sm_80\n.address_size 64\n"
            + ".visible .entry k(\n)\n.maxntid 128, 1, 1\n{\n"
            + "\tmov.u32 %r1, 0;\n"
            + "L:\n"
            + "\twmma.mma.sync.aligned.row.col.m16n16k16.f32.f16 {%f1}, {%r1}, {%r2}, {%f1};\n"
            + "\tadd.s32 %r1, %r1, 1;\n"
            + "\t@%p1 bra L;\n"
            + "\tret;\n}\n";

    @Test
    void tableFromGivenNumbers() {
        // sm_80: 166 regs -> 12 warps -> 3 blocks of 4 warps; smem 167936/45056 -> 3 blocks: both named
        // sm_90: 32 regs -> 16 blocks; smem 233472/45056 -> 5 blocks: 20 warps, 31.25 %
        // sm_120: no SM table, and no PTX given for it
        CudaReport r = new CudaReport(
                PtxasReport.parse(PTXAS), Map.of("sm_80", PtxMix.parse(PTX), "sm_90", PtxMix.parse(PTX)));
        List<String> rows = r.toText().lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(
                List.of(
                        "kernel  arch    threads  registers   smem  dyn_smem  spill  blocks/SM  warps/SM  occupancy  limited_by               ptx  tensor  tensor%  loop  loop_ptx  loop_tensor  loop_tensor%",
                        "k       sm_80       128        166  44032         0     12          3        12     18.75%  registers+shared_memory    5       1   20.00%  L            3            1        33.33%",
                        "k       sm_90       128         32  44032         0      0          5        20     31.25%  shared_memory              5       1   20.00%  L            3            1        33.33%",
                        "k       sm_120        -         32  44032         0      0          -         -          -  -                          -       -        -  -            -            -             -"),
                rows);
        assertEquals(r.toText(), new CudaReport(PtxasReport.parse(PTXAS), r.ptx()).toText(), "deterministic");
    }

    @Test
    void dynamicSharedMemoryCountsIntoTheOccupancy() {
        // sm_90 with 46080 dynamic bytes: 44032 + 46080 + 1024 reserved = 91136 a block, 233472 / 91136 -> 2
        // blocks (8 warps, 12.50 %); registers alone would allow 16
        CudaReport r = new CudaReport(
                PtxasReport.parse(PTXAS), Map.of("sm_90", PtxMix.parse(PTX)), Map.of("k", 46080L, "other", 1L));
        String row = r.toText()
                .lines()
                .filter(l -> l.startsWith("k ") && l.contains("sm_90"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("k", "sm_90", "128", "32", "44032", "46080", "0", "2", "8", "12.50%", "shared_memory"),
                List.of(row.trim().split("\\s+")).subList(0, 11),
                row);
    }

    /**
     * longformer_base of specs/ built for sm_80 and sm_90 (the case issue 14 quotes: its fp16 entry
     * on sm_90 had 32 wmma.mma among 4,837 PTX instructions); the numbers go to the test's output.
     */
    @Test
    void longformerBaseFromARealBuild(@TempDir Path work) throws Exception {
        assumeTrue(
                Nvcc.find().isPresent(),
                () -> "nvcc is not available: " + Nvcc.unavailableReason().orElse(""));
        String dir = System.getProperty("attnc.specs.dir");
        Path specs = dir == null || dir.isBlank() ? Path.of("..", "specs") : Path.of(dir);
        Pipeline.Result res = Pipeline.compileFile(specs.resolve("longformer.attn"), "specs/longformer.attn");
        PatternIR p = res.pattern("longformer_base").orElseThrow();
        Pipeline.CudaOutput o = Pipeline.cuda(p, null);
        for (String h : CudaEmitter.HEADERS) {
            Files.writeString(work.resolve(h), CudaHeaders.text(h));
        }
        Path cu = work.resolve(o.fileName());
        Files.writeString(cu, o.source());
        BuildResult b = Nvcc.find().orElseThrow().build(cu, List.of(work), CudaArch.DEFAULTS, work, p.name());
        String text = Files.readString(b.cudaReportFile());
        System.out.print(text);
        assertEquals(b.cudaReport().toText(), text);
        for (String arch : List.of("sm_80", "sm_90")) {
            PtxMix.Function f16 =
                    b.cudaReport().ptx().get(arch).find("longformer_base_f16").orElseThrow();
            assertTrue(f16.threadsPerBlock().isPresent(), "__launch_bounds__ gives .maxntid: " + f16);
            assertTrue(f16.whole().tensorCore() > 0 && f16.whole().instructions() > 1000, f16.toString());
            assertTrue(f16.mainLoop().orElseThrow().count().tensorCore() > 0, "the main loop holds wmma.mma: " + f16);
            PtxMix.Function f32 =
                    b.cudaReport().ptx().get(arch).find("longformer_base_f32").orElseThrow();
            assertEquals(0, f32.whole().tensorCore(), "fp32 has no tensor-core path: " + f32);
            assertTrue(
                    text.lines()
                            .anyMatch(l -> l.startsWith("longformer_base_f16 ") && l.contains(arch) && l.contains("%")),
                    text);
        }
    }
}
