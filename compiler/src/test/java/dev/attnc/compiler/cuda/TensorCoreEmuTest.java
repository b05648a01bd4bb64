package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.cuda.EmuToolchain.Result;
import dev.attnc.compiler.cuda.EmuToolchain.Sanitizer;
import dev.attnc.compiler.emit.CudaHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * attnc_mma.cuh and its CPU stand-ins in attnc_emu.h: the kernels of {@code
 * src/test/resources/cuda/tc/tc.cu} build fragments from the PTX ISA layouts written out in the
 * test (not by the header), run under the emulator (harness {@code tc_main.cpp}, one executable
 * built once and cached in {@code target/emu-work/tc}), and also compile with nvcc for sm_75,
 * sm_80 and sm_90.
 */
class TensorCoreEmuTest {

    private static final Path WORK = Path.of("target", "emu-work", "tc").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String HEADER = "attnc_mma.cuh";
    private static final List<String> SOURCES = List.of("tc.cu", "tc_main.cpp");

    private static Path exe;

    /** tc.cu and tc_main.cpp copied into {@code dir} beside attnc_mma.cuh (as generated sources are). */
    private static Path stage(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(HEADER), CudaHeaders.text(HEADER));
            for (String s : SOURCES) {
                try (InputStream in = TensorCoreEmuTest.class.getResourceAsStream("/cuda/tc/" + s)) {
                    assertTrue(in != null, "test resource cuda/tc/" + s);
                    byte[] bytes = in.readAllBytes();
                    Path p = dir.resolve(s);
                    if (!Files.exists(p) || !Arrays.equals(Files.readAllBytes(p), bytes)) {
                        Files.write(p, bytes);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path exe() {
        Optional<String> reason = EmuToolchain.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "CPU emulation unavailable: " + reason.orElse(""));
        if (exe == null) {
            Path src = stage(WORK.resolve("src"));
            exe = EmuToolchain.build(
                    WORK,
                    "tc",
                    SOURCES.stream().map(src::resolve).toList(),
                    List.of(src.resolve(HEADER)),
                    Sanitizer.NONE);
        }
        return exe;
    }

    /** Runs the harness in {@code mode}, requires exit 0, and parses its "key=value" lines. */
    private static Map<String, String> values(String mode) {
        Result r = EmuToolchain.run(exe(), List.of(mode), TIMEOUT);
        assertEquals(0, r.exitCode(), () -> "exit code of tc " + mode + "\n" + r.stdout() + r.stderr());
        Map<String, String> m = new HashMap<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> {
            int eq = l.indexOf('=');
            m.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return m;
    }

    @Test
    void mmaMatchesADoublePrecisionProductForHalfAndBf16() {
        // 32 cases (2 warps per block) per line; "steps2" chains two mma on one accumulator.
        // Inputs are exact in f16/bf16 and products exact in fp32; each mma adds 16 products to
        // C in fp32, so |D - ref| <= 34 * 2^-24 * (|C| + sum |a b|) < 2.1e-6 of that sum:
        // we allow 1e-5. Integer inputs in [-4, 4] make every sum exact: no error at all.
        Map<String, String> v = values("mma");
        for (String type : List.of("half", "bf16")) {
            for (String steps : List.of("steps1", "steps2")) {
                String c = type + "." + steps;
                assertEquals("4096", v.get("elements." + c), c);
                double rel = Double.parseDouble(v.get("maxrel." + c));
                assertTrue(rel < 1e-5, c + ": max relative error " + rel);
                assertEquals("0", v.get("inexact." + c + ".int"), c + " with integer inputs must be exact");
                assertEquals("0.000e+00", v.get("maxrel." + c + ".int"), c);
            }
        }
    }

    @Test
    void packRoundsToNearestEvenWithLoInTheLowHalf() {
        Map<String, String> v = values("pack");
        assertEquals("c0003c00", v.get("half0"), "(1, -2)");
        assertEquals("c0003f80", v.get("bf160"), "(1, -2)");
        assertEquals("3c023c00", v.get("half1"), "(1 + 2^-11, 1 + 3 * 2^-11): ties to even");
        assertEquals("3c0c3c04", v.get("half2"), "(1 + 2^-8, 1 + 3 * 2^-8): exact in f16");
        assertEquals("3f823f80", v.get("bf162"), "(1 + 2^-8, 1 + 3 * 2^-8): ties to even in bf16");
        assertEquals("80007c00", v.get("half3"), "(65520, -0): overflows to +inf in f16");
        assertEquals("80004780", v.get("bf163"), "(65520, -0) in bf16");
    }

    @Test
    void ldmatrixFollowsThePtxLayoutWithPaddedRowsAndPermutedAddresses() {
        // Rows of 72 halves (144 bytes), each lane pointing at a permuted row and a column
        // offset of its own; x2 must ignore lanes 16..31 (they pass a null address).
        Map<String, String> v = values("ldmatrix");
        assertEquals("768", v.get("checked"));
        for (String k : List.of("x4", "x2", "x4trans", "x2trans")) {
            assertEquals("0", v.get("bad." + k), "registers differing from the PTX layout, ldmatrix " + k);
        }
    }

    @Test
    void cpAsyncCopiesLandAtTheWaitGroupByGroupInIssueOrder() {
        Map<String, String> v = values("async");
        String[] what = {
            "nothing is visible before a wait",
            "wait<1> of three groups performs only the oldest",
            "wait<1> of two groups performs the older; within a group the last copy to a place wins",
            "a second wait<1> with one group pending does nothing",
            "wait<0> performs the newest group last",
            "an uncommitted copy is not performed by a wait",
            "after commit it is",
            "after wait<0> and __syncthreads another thread's copies are visible"
        };
        for (int f = 0; f < what.length; f++) {
            assertEquals("64", v.get("flag" + f), what[f] + " (threads where it held, of 64)");
        }
    }

    @Test
    void dynamicSharedMemoryIsAlignedPoisonedPerBlockAndShared() {
        Map<String, String> v = values("dyn");
        for (int bytes : new int[] {1000, 227 * 1024}) { // 3 blocks of 64 threads each
            String b = "bytes" + bytes;
            assertEquals("192", v.get(b + ".flag0"), b + ": 16-byte aligned");
            assertEquals("192", v.get(b + ".flag1"), b + ": every byte 0xFF at the start of every block");
            assertEquals("192", v.get(b + ".flag2"), b + ": a neighbour's write and the last byte are seen");
        }
        assertEquals("attnc_emu::launch_dynamic: sharedBytes 232449 (at most 232448)", v.get("toolarge"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "uncommitted"})
    void aThreadEndingItsBlockWithCopiesNotWaitedForAbortsNamingIt(String mode) {
        Result r = EmuToolchain.run(exe(), List.of(mode), TIMEOUT);
        assertFalse(r.timedOut(), "the other threads of the block must not hang");
        assertEquals(134, r.exitCode(), r.stderr());
        String expected = mode.equals("pending")
                ? "ended with 1 committed cp.async group(s) and 0 uncommitted cp.async copy(ies) pending"
                : "ended with 0 committed cp.async group(s) and 1 uncommitted cp.async copy(ies) pending";
        Pattern message = Pattern.compile("attnc_emu: thread \\(\\d+,0,0\\) of block \\(0,0,0\\) "
                + Pattern.quote(expected + ": call cp_async_wait<0>()"));
        assertTrue(message.matcher(r.stderr()).find(), r.stderr());
        assertFalse(r.stdout().contains("not reached"));
    }

    @Test
    void compilesWithNvccForSm75Sm80Sm90WithTheExpectedInstructions() throws IOException {
        Optional<Nvcc> nvcc = Nvcc.find();
        assumeTrue(
                nvcc.isPresent(),
                () -> "nvcc is not available: " + Nvcc.unavailableReason().orElse(""));
        Path dir = stage(WORK.resolve("nvcc"));
        Path keep = Files.createDirectories(dir.resolve("keep"));
        // one nvcc run: a fatbin (no host pass) for the three archs, keeping each arch's PTX
        List<String> cmd = new ArrayList<>(List.of(
                nvcc.get().executable().toString(),
                "--fatbin",
                "tc.cu",
                "-o",
                "tc.fatbin",
                "--keep",
                "--keep-dir",
                keep.toString()));
        for (int sm : new int[] {75, 80, 90}) {
            cmd.addAll(List.of("-gencode", "arch=compute_" + sm + ",code=sm_" + sm));
        }
        ProcessRunner.Outcome o = ProcessRunner.run(cmd, Map.of(), dir, Duration.ofMinutes(3));
        assertEquals(0, o.exitCode(), () -> String.join(" ", cmd) + "\n" + o.stdout() + o.stderr());
        assertTrue(Files.size(dir.resolve("tc.fatbin")) > 1000);
        String sm80 = Files.readString(keep.resolve("tc.compute_80.ptx"));
        for (String insn : List.of(
                "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32",
                "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32",
                "ldmatrix.sync.aligned.m8n8.x4.shared.b16",
                "ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16",
                "cp.async.cg.shared.global",
                "cp.async.commit_group",
                "cp.async.wait_group")) {
            assertTrue(sm80.contains(insn), "sm_80 PTX lacks " + insn);
        }
        assertTrue(
                Files.readString(keep.resolve("tc.compute_90.ptx")).contains("mma.sync.aligned.m16n8k16"),
                "sm_90 PTX uses mma.sync m16n8k16");
        String sm75 = Files.readString(keep.resolve("tc.compute_75.ptx"));
        assertTrue(sm75.contains("mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32"), "sm_75: f16 as two m16n8k8");
        assertTrue(sm75.contains("ldmatrix.sync.aligned.m8n8.x4.shared.b16"), "sm_75 has ldmatrix");
        assertFalse(sm75.contains("m16n8k16"), "sm_75 has no m16n8k16");
        assertFalse(sm75.contains("cp.async"), "sm_75 has no cp.async");
        assertTrue(sm75.contains("shfl.sync"), "sm_75 bf16 mma gathers with shuffles");
    }
}
