package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nvcc build step. nvcc is slow (about a second per architecture), so each test {@code .cu}
 * file is built once in {@link #buildAll()} and the tests share the results; tests that need nvcc
 * are skipped, with the reason, when it is absent. Parser and argument tests run everywhere.
 */
class NvccTest {

    private static final List<CudaArch> SM80_SM90 = CudaArch.parseList("sm_80,sm_90");

    @TempDir
    static Path out;

    private static Nvcc nvcc;
    private static String missing;
    private static BuildResult simple;
    private static BuildResult spill;
    private static CudaBuildException syntaxError;
    private static Path syntaxErrorDir;

    @BeforeAll
    static void buildAll() throws Exception {
        nvcc = Nvcc.find().orElse(null);
        if (nvcc == null) {
            missing = Nvcc.unavailableReason().orElseThrow();
            System.out.println("NvccTest: nvcc tests skipped: " + missing);
            return;
        }
        long t0 = System.nanoTime();
        simple = nvcc.build(resource("simple.cu"), List.of(), SM80_SM90, out.resolve("simple"), "simple");
        spill = nvcc.build(
                resource("spill.cu"), List.of(), SM80_SM90, out.resolve("spill"), "spill", List.of("-maxrregcount=24"));
        syntaxErrorDir = out.resolve("syntax-error");
        try {
            nvcc.build(resource("syntax_error.cu"), List.of(), List.of(new CudaArch(80)), syntaxErrorDir, "broken");
        } catch (CudaBuildException e) {
            syntaxError = e;
        }
        System.out.printf(
                "NvccTest: %s; builds took %d ms (simple %d ms, spill %d ms)%n",
                nvcc,
                (System.nanoTime() - t0) / 1_000_000,
                simple.elapsed().toMillis(),
                spill.elapsed().toMillis());
    }

    private static void needNvcc() {
        assumeTrue(nvcc != null, () -> "nvcc is not available: " + missing);
    }

    private static Path resource(String name) throws URISyntaxException {
        var url = NvccTest.class.getResource("/cuda/nvcc/" + name);
        assertNotNull(url, "test resource cuda/nvcc/" + name);
        return Path.of(url.toURI());
    }

    private static String text(String name) throws Exception {
        return Files.readString(resource(name), StandardCharsets.UTF_8);
    }

    // --- live nvcc ----------------------------------------------------------------------------

    @Test
    void simpleKernelsBuildForSm80AndSm90() throws IOException {
        needNvcc();
        byte[] bytes = Files.readAllBytes(simple.fatbin());
        assertEquals(out.resolve("simple").resolve("simple.fatbin"), simple.fatbin());
        assertTrue(bytes.length > 1000, "fatbin has " + bytes.length + " bytes");
        // 0xBA55ED50 stored little-endian
        assertArrayEquals(new byte[] {0x50, (byte) 0xED, 0x55, (byte) 0xBA}, Arrays.copyOf(bytes, 4));
        assertTrue(Fatbin.hasMagic(bytes));
        List<String> contents = Fatbin.entries(bytes).stream()
                .map(e -> e.kind() + " sm_" + e.sm())
                .toList();
        assertEquals(List.of("CUBIN sm_80", "CUBIN sm_90", "PTX sm_90"), contents);
        // nothing but the two outputs in the directory: no temporary files left
        try (Stream<Path> files = Files.list(simple.fatbin().getParent())) {
            assertEquals(
                    List.of("simple.cuda-report.txt", "simple.fatbin", "simple.ptxas.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void simpleReportListsEveryKernelForBothArchsWithoutSpills() throws IOException {
        needNvcc();
        PtxasReport r = simple.report();
        assertEquals(
                List.of("axpy sm_80", "axpy sm_90", "tile_sum sm_80", "tile_sum sm_90"),
                r.kernels().stream().map(k -> k.kernel() + " " + k.arch()).toList());
        for (KernelResources k : r.kernels()) {
            assertFalse(k.spills(), k.toString());
            assertEquals(0, k.stackFrameBytes(), k.toString());
            assertTrue(k.registers() >= 4 && k.registers() <= 64, k.toString());
        }
        KernelResources tile = r.find("tile_sum", new CudaArch(90)).orElseThrow();
        assertEquals(96 * 4, tile.sharedBytes());
        assertEquals(1, tile.barriers());
        assertEquals(r.toText(), Files.readString(simple.ptxasReportFile(), StandardCharsets.UTF_8));
        assertTrue(
                simple.command().contains("arch=compute_90,code=[sm_90,compute_90]"),
                simple.command().toString());
    }

    @Test
    void staticReportHasTheMixOfEveryKernelFromThePtxNvccKept() throws IOException {
        needNvcc();
        CudaReport c = simple.cudaReport();
        assertEquals(c.toText(), Files.readString(simple.cudaReportFile(), StandardCharsets.UTF_8));
        assertEquals(
                List.of("sm_80", "sm_90"),
                List.copyOf(new java.util.TreeSet<>(c.ptx().keySet())));
        for (String arch : List.of("sm_80", "sm_90")) {
            PtxMix.Function axpy = c.ptx().get(arch).find("axpy").orElseThrow();
            // no __launch_bounds__, so no .maxntid: no block size, hence no occupancy in the report
            assertTrue(axpy.threadsPerBlock().isEmpty(), axpy.toString());
            assertTrue(axpy.whole().instructions() > 5 && axpy.whole().tensorCore() == 0, axpy.toString());
        }
        List<String> lines = c.toText().lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(5, lines.size(), c.toText());
        assertTrue(lines.get(1).startsWith("axpy "), c.toText());
        // the spill build's report says how much was spilled
        String spillRow = spill.cudaReport()
                .toText()
                .lines()
                .filter(l -> l.startsWith("spill "))
                .findFirst()
                .orElseThrow();
        KernelResources k = spill.report().find("spill", new CudaArch(80)).orElseThrow();
        assertEquals(
                Long.toString(k.spillStoreBytes() + k.spillLoadBytes()),
                spillRow.trim().split("\\s+")[CudaReport.COLUMNS.indexOf("spill")],
                spillRow);
    }

    @Test
    void cappedRegistersMakePtxasSpillAndTheReportSaysSo() {
        needNvcc();
        for (CudaArch a : SM80_SM90) {
            KernelResources k = spill.report().find("spill", a).orElseThrow();
            assertTrue(k.spillStoreBytes() > 0 && k.spillLoadBytes() > 0, k.toString());
            assertTrue(k.stackFrameBytes() > 0, k.toString());
            assertTrue(k.registers() <= 24, k.toString());
        }
        assertTrue(spill.command().contains("-maxrregcount=24"));
    }

    @Test
    void syntaxErrorThrowsWithNvccsErrorAtFileAndLineAndLeavesNothingBehind() throws Exception {
        needNvcc();
        assertNotNull(syntaxError, "building syntax_error.cu must throw CudaBuildException");
        String m = syntaxError.getMessage();
        assertTrue(m.startsWith("nvcc failed (exit 1) compiling "), m);
        assertTrue(m.contains("syntax_error.cu:3: error: identifier \"undeclared_value\" is undefined"), m);
        assertTrue(syntaxError.diagnostics().contains("syntax_error.cu(3): error:"), syntaxError.diagnostics());
        try (Stream<Path> files = Files.list(syntaxErrorDir)) {
            assertEquals(List.of(), files.toList(), "no output or temporary file after a failed build");
        }
    }

    @Test
    void failedBuildKeepsAnOlderOutputUntouched() throws Exception {
        needNvcc();
        Path dir = out.resolve("keep-old");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("broken.fatbin"), "old");
        assertThrows(
                CudaBuildException.class,
                () -> nvcc.build(resource("syntax_error.cu"), List.of(), List.of(new CudaArch(80)), dir, "broken"));
        assertEquals("old", Files.readString(dir.resolve("broken.fatbin")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    // --- without nvcc: a fake one, lookup, arguments --------------------------------------------

    @Test
    void aBuildPastItsTimeoutIsKilledAndLeavesNothing(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("fake-nvcc");
        Files.writeString(
                fake,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = --version ]; then echo 'Cuda compilation tools, release 13.0, V13.0.88'; exit 0; fi\n"
                        + "sleep 60\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Nvcc.Lookup l = Nvcc.locate(Map.of("ATTNC_NVCC", fake.toString()));
        Nvcc slow =
                l.nvcc().orElseThrow(() -> new AssertionError(l.description())).withTimeout(Duration.ofMillis(500));
        assertEquals("13.0, V13.0.88", slow.version());
        Path outDir = dir.resolve("out");
        CudaBuildException e = assertThrows(
                CudaBuildException.class,
                () -> slow.build(resource("simple.cu"), List.of(), SM80_SM90, outDir, "simple"));
        assertTrue(e.getMessage().startsWith("nvcc timed out after 0 s compiling "), e.getMessage());
        try (Stream<Path> files = Files.list(outDir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void anExplicitAttncNvccThatDoesNotExistIsReportedAndNothingElseIsTried() {
        Nvcc.Lookup l = Nvcc.locate(Map.of("ATTNC_NVCC", "/nonexistent/nvcc", "PATH", "/usr/local/cuda/bin"));
        assertTrue(l.nvcc().isEmpty());
        assertEquals("nvcc not found: ATTNC_NVCC=/nonexistent/nvcc does not exist", l.description());
    }

    @Test
    void buildRejectsBadArgumentsBeforeRunningAnything(@TempDir Path dir) throws Exception {
        Nvcc any = Nvcc.find().orElse(null);
        assumeTrue(
                any != null,
                () -> "nvcc is not available: " + Nvcc.unavailableReason().orElse(""));
        Path cu = resource("simple.cu");
        assertThrows(
                IllegalArgumentException.class,
                () -> any.build(dir.resolve("none.cu"), List.of(), SM80_SM90, dir, "x"));
        assertThrows(IllegalArgumentException.class, () -> any.build(cu, List.of(), List.of(), dir, "x"));
        for (String bad : List.of("", "../x", "a/b", ".hidden", "-o")) {
            assertThrows(IllegalArgumentException.class, () -> any.build(cu, List.of(), SM80_SM90, dir, bad), bad);
        }
    }

    // --- the ptxas parser on captured nvcc 13.0 output ------------------------------------------

    @Test
    void parsesCapturedSimpleOutput() throws Exception {
        PtxasReport r = PtxasReport.parse(text("ptxas-nvcc13.0-simple.txt"));
        assertEquals(
                List.of(
                        new KernelResources("axpy", "sm_80", 10, 0, 0, 380, 0, 0, 0),
                        new KernelResources("axpy", "sm_90", 10, 0, 0, 0, 0, 0, 0),
                        new KernelResources("tile_sum", "sm_80", 22, 1, 384, 368, 0, 0, 0),
                        new KernelResources("tile_sum", "sm_90", 22, 1, 384, 0, 0, 0, 0)),
                r.kernels());
        assertEquals("""
                kernel    arch   registers  barriers  smem  cmem  stack  spill_st  spill_ld
                axpy      sm_80         10         0     0   380      0         0         0
                axpy      sm_90         10         0     0     0      0         0         0
                tile_sum  sm_80         22         1   384   368      0         0         0
                tile_sum  sm_90         22         1   384     0      0         0         0
                """, r.toText());
    }

    @Test
    void parsesCapturedSpillOutputWithNonZeroSpills() throws Exception {
        PtxasReport r = PtxasReport.parse(text("ptxas-nvcc13.0-spill.txt"));
        assertEquals(
                List.of(
                        new KernelResources("spill", "sm_80", 24, 0, 0, 372, 232, 460, 484),
                        new KernelResources("spill", "sm_90", 24, 0, 0, 0, 232, 456, 484)),
                r.kernels());
    }

    @Test
    void deviceFunctionPropertiesOutsideEntryBlocksAreSkipped() throws Exception {
        PtxasReport r = PtxasReport.parse(text("ptxas-nvcc13.0-device-function.txt"));
        assertEquals(
                List.of("k1 sm_80", "k1 sm_90", "k2 sm_80", "k2 sm_90"),
                r.kernels().stream().map(k -> k.kernel() + " " + k.arch()).toList());
        // the helper's "0 bytes stack frame" after k1's block must not overwrite k1's 32
        assertEquals(32, r.find("k1", new CudaArch(80)).orElseThrow().stackFrameBytes());
        assertEquals(32, r.find("k1", new CudaArch(90)).orElseThrow().stackFrameBytes());
        // the module line "64 bytes cmem[3]" is not a kernel's
        assertEquals(360, r.find("k2", new CudaArch(80)).orElseThrow().constantBytes());
    }

    @Test
    void sortsArchitecturesByNumberAndSumsConstantBanks() {
        String text = """
                ptxas info    : Compiling entry function 'k' for 'sm_100'
                ptxas info    : Function properties for k
                    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
                ptxas info    : Used 8 registers, used 0 barriers
                ptxas info    : Compiling entry function 'k' for 'sm_90'
                ptxas info    : Function properties for k
                    8 bytes stack frame, 4 bytes spill stores, 4 bytes spill loads
                ptxas info    : Used 255 registers, used 0 barriers, 48 bytes smem, 380 bytes cmem[0], 8 bytes cmem[2]
                """;
        PtxasReport r = PtxasReport.parse(text);
        assertEquals(
                List.of(
                        new KernelResources("k", "sm_90", 255, 0, 48, 388, 8, 4, 4),
                        new KernelResources("k", "sm_100", 8, 0, 0, 0, 0, 0, 0)),
                r.kernels());
        assertEquals(List.of(), PtxasReport.parse("").kernels());
    }

    @Test
    void unknownFormatIsAnErrorNotAGuess() {
        String noUsedLine = """
                ptxas info    : Compiling entry function 'k' for 'sm_80'
                ptxas info    : Function properties for k
                    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
                """;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PtxasReport.parse(noUsedLine));
        assertEquals("ptxas output for entry function 'k' on sm_80 has no 'Used N registers' line", e.getMessage());
        String twice =
                noUsedLine + "ptxas info    : Used 8 registers\n" + noUsedLine + "ptxas info    : Used 8 registers\n";
        assertThrows(IllegalArgumentException.class, () -> PtxasReport.parse(twice));
    }

    // --- architectures ------------------------------------------------------------------------

    @Test
    void parsesArchitectureLists() {
        assertEquals(List.of(new CudaArch(80), new CudaArch(90)), CudaArch.parseList("sm_80,sm_90"));
        assertEquals(
                List.of(new CudaArch(80), new CudaArch(90), new CudaArch(120)),
                CudaArch.parseList(" sm_120, sm_90 ,sm_80,sm_90"));
        assertEquals(List.of(new CudaArch(80), new CudaArch(90)), CudaArch.DEFAULTS);
        assertEquals("sm_75", CudaArch.parse("sm_75").toString());
        assertEquals("compute_100", CudaArch.parse("sm_100").computeName());
    }

    @Test
    void rejectsUnsupportedArchitecturesNamingTheValueAndTheForm() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CudaArch.parseList("sm_80,sm_70"));
        assertTrue(
                e.getMessage().startsWith("unknown CUDA architecture 'sm_70': use sm_75 or newer, written sm_NN"),
                e.getMessage());
        for (String bad : List.of("sm_90a", "compute_80", "80", "SM_80", "sm_85", "", "sm_80,,sm_90", "sm_1000")) {
            IllegalArgumentException b =
                    assertThrows(IllegalArgumentException.class, () -> CudaArch.parseList(bad), bad);
            assertTrue(b.getMessage().contains("written sm_NN"), b.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new CudaArch(70));
    }

    @Test
    void fatbinReaderRejectsOtherFiles() {
        assertFalse(Fatbin.hasMagic("\u007fELF".getBytes(StandardCharsets.ISO_8859_1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Fatbin.entries(new byte[] {0x50, (byte) 0xED, 0x55, (byte) 0xBA}));
        if (nvcc == null) {
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(simple.fatbin());
            assertThrows(IllegalArgumentException.class, () -> Fatbin.entries(Arrays.copyOf(bytes, bytes.length / 2)));
        } catch (IOException e) {
            fail(e);
        }
    }
}
