package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.cuda.EmuToolchain.Result;
import dev.attnc.compiler.cuda.EmuToolchain.Sanitizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * attnc_emu.h runs hand-written CUDA kernels ({@code src/test/resources/cuda/emu/*.cu}) on the
 * CPU with the right numbers, and the sanitizer builds catch the bugs they are meant to catch.
 * Three executables are built (plain, ThreadSanitizer, AddressSanitizer) and shared by all
 * tests; the builds are cached in {@code target/emu-work}.
 */
class EmuHeaderTest {

    private static final Path WORK = Path.of("target", "emu-work").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Path functional;
    private static Path race;
    private static Path overflow;

    @BeforeEach
    void toolchainPresent() {
        Optional<String> reason = EmuToolchain.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "CPU emulation unavailable: " + reason.orElse(""));
    }

    private static Path dir() {
        try {
            return Path.of(EmuHeaderTest.class
                            .getResource("/cuda/emu/reduce.cu")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> sources(String... names) {
        return Arrays.stream(names).map(dir()::resolve).toList();
    }

    private static synchronized Path functional() {
        if (functional == null) {
            functional = EmuToolchain.build(
                    WORK,
                    "functional",
                    sources("reduce.cu", "warp.cu", "wmma.cu", "atomics.cu", "functional_main.cpp"),
                    Sanitizer.NONE);
        }
        return functional;
    }

    private static synchronized Path race() {
        if (race == null) {
            race = EmuToolchain.build(WORK, "race-tsan", sources("race.cu", "race_main.cpp"), Sanitizer.THREAD);
        }
        return race;
    }

    private static synchronized Path overflow() {
        if (overflow == null) {
            overflow = EmuToolchain.build(
                    WORK, "overflow-asan", sources("overflow.cu", "overflow_main.cpp"), Sanitizer.ADDRESS);
        }
        return overflow;
    }

    /** Runs the executable, requires exit 0, and parses its "key=value" lines. */
    private static Map<String, String> values(Path exe, String... args) {
        Result r = EmuToolchain.run(exe, List.of(args), TIMEOUT);
        assertEquals(0, r.exitCode(), () -> "exit code of " + String.join(" ", args) + "\n" + r.stdout() + r.stderr());
        Map<String, String> m = new HashMap<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> {
            int eq = l.indexOf('=');
            m.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return m;
    }

    @Test
    void hostCompilerAndCudaHeadersAreFound() {
        assertTrue(EmuToolchain.hostCompiler().isPresent());
        assertTrue(Files.isRegularFile(EmuToolchain.cudaInclude().orElseThrow().resolve("cuda_bf16.h")));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 31, 32, 33, 1000})
    void blockReductionGivesTheExactSum(int n) {
        Map<String, String> v = values(functional(), "reduce", Integer.toString(n));
        long expected = (long) n * (n + 1) / 2;
        for (int block : new int[] {32, 64, 256}) {
            assertEquals(Long.toString(expected), v.get("sum.block" + block), "block " + block);
            assertEquals(Integer.toString((n + block - 1) / block), v.get("blocks.block" + block));
        }
    }

    private static int[] thread(Map<String, String> v, int t) {
        return Arrays.stream(v.get("t" + t).split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
    }

    @Test
    void shufflesAndVotesOnFullWarps() {
        Map<String, String> v = values(functional(), "warp", "64");
        for (int t = 0; t < 64; t++) {
            int lane = t % 32;
            int[] o = thread(v, t);
            String at = "thread " + t;
            assertEquals((t < 32 ? 5 : 37) * 10, o[0], "__shfl_sync broadcast, " + at);
            assertEquals(lane + 3 < 32 ? lane + 3 : lane, o[1], "__shfl_down_sync, " + at);
            assertEquals(lane >= 2 ? lane - 2 : lane, o[2], "__shfl_up_sync, " + at);
            assertEquals(lane ^ 1, o[3], "__shfl_xor_sync, " + at);
            assertEquals(lane & ~7, o[4], "__shfl_sync width 8, " + at);
            assertEquals((lane % 16) + 4 < 16 ? lane + 4 : lane, o[5], "__shfl_down_sync width 16, " + at);
            assertEquals(0x49249249, o[6], "__ballot_sync(lane % 3 == 0), " + at);
            assertEquals(1, o[7], "__any_sync, " + at);
            assertEquals(0, o[8], "__all_sync(lane < 31), " + at);
            assertEquals(1, o[9], "__all_sync(1), " + at);
            assertEquals(0xffff, o[10], "__ballot_sync with mask 0xffff, " + at);
            assertEquals(lane ^ 16, o[11], "__shfl_xor_sync of float, " + at);
        }
        assertEquals("124.0000", v.get("dsum.w0"), "double warp sum of 0.25 * lane");
        assertEquals("124.0000", v.get("dsum.w1"));
    }

    @Test
    void shufflesAndVotesOnAPartialLastWarp() {
        Map<String, String> v = values(functional(), "warp", "40"); // warp 1 has lanes 0..7
        for (int t = 32; t < 40; t++) {
            int lane = t - 32;
            int[] o = thread(v, t);
            assertEquals(370, o[0], "broadcast from lane 5");
            assertEquals(lane + 3 < 8 ? lane + 3 : lane, o[1], "down: a lane that does not exist gives the own value");
            assertEquals(0b1001001, o[6], "ballot(lane % 3 == 0) over the 8 existing lanes");
            assertEquals(1, o[8], "all over the existing lanes (all < 31)");
            assertEquals(0xff, o[10]);
        }
        assertEquals(40, v.keySet().stream().filter(k -> k.matches("t\\d+")).count());
    }

    @Test
    void wmmaMatchesADoublePrecisionProduct() {
        // Inputs are exact in half/bfloat16; 32 fp32 products summed in fp32 stay within 1e-4.
        Map<String, String> v = values(functional(), "wmma");
        for (String c : List.of("half.bcol", "half.brow", "half.brow.ccol", "bf16.bcol", "bf16.brow")) {
            double err = Double.parseDouble(v.get("maxerr." + c));
            assertTrue(err < 1e-4, c + ": max |error| " + err);
        }
    }

    @Test
    void atomicsFromEveryThreadOfManyBlocks() {
        Map<String, String> v = values(functional(), "atomics");
        int threads = 40 * 96;
        assertEquals(Integer.toString(threads), v.get("count"));
        assertEquals(String.format("%.1f", threads * 0.5), v.get("fsum"));
        assertEquals(Long.toString((long) threads * (threads - 1) / 2), v.get("usum"));
        assertEquals(Integer.toString(threads - 1), v.get("imax"));
        assertEquals("7", v.get("exch"));
    }

    @Test
    void aKernelExceptionNamesBlockAndThread() {
        Result r = EmuToolchain.run(functional(), List.of("throw"), TIMEOUT);
        assertFalse(r.timedOut(), "the other threads of the block must not hang");
        assertEquals(134, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("attnc_emu: kernel threw in block (1,0,0) thread (5,0,0): boom"), r.stderr());
        assertFalse(r.stdout().contains("not reached"));
    }

    @Test
    void runKillsAProcessAfterTheTimeout() {
        long t0 = System.nanoTime();
        Result r = EmuToolchain.run(functional(), List.of("sleep"), Duration.ofMillis(500));
        assertTrue(r.timedOut());
        assertEquals(-1, r.exitCode());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
    }

    @Test
    void aSecondBuildWithTheSameInputsIsCached() {
        Path first = functional();
        long t0 = System.nanoTime();
        Path again = EmuToolchain.build(
                WORK,
                "functional",
                sources("reduce.cu", "warp.cu", "wmma.cu", "atomics.cu", "functional_main.cpp"),
                Sanitizer.NONE);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(first, again);
        assertTrue(ms < 2000, "cached build took " + ms + " ms");
    }

    @Test
    void aCompilerErrorCarriesTheCompilerOutput() throws IOException {
        Path bad = WORK.resolve("bad").resolve("bad.cu");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "__global__ void k(float* p) { p[threadIdx.x] = undeclared_name; }\n");
        EmuBuildException e = assertThrows(
                EmuBuildException.class,
                () -> EmuToolchain.build(WORK.resolve("bad"), "bad", List.of(bad), Sanitizer.NONE));
        assertTrue(e.compilerOutput().contains("undeclared_name"), e.getMessage());
        assertTrue(e.getMessage().contains("host compiler failed"), e.getMessage());
    }

    @Test
    void threadSanitizerReportsTheMissingSyncthreads() {
        Result r = EmuToolchain.run(race(), List.of("racy"), TIMEOUT);
        assertEquals(66, r.exitCode(), r.stderr()); // TSan's exit code with halt_on_error=1
        assertTrue(r.stderr().contains("WARNING: ThreadSanitizer: data race"), r.stderr());
        assertTrue(r.stderr().contains("neighbour_racy"), r.stderr());
    }

    @Test
    void threadSanitizerIsCleanWithTheBarrier() {
        Result r = EmuToolchain.run(race(), List.of("synced"), TIMEOUT);
        assertEquals(0, r.exitCode(), r.stderr());
        assertFalse(r.stderr().contains("ThreadSanitizer"), r.stderr());
        assertEquals("wrong=0", r.stdout().strip());
    }

    @Test
    void addressSanitizerReportsReadsPastHeapAndSharedArrays() {
        Result heap = EmuToolchain.run(overflow(), List.of("heap"), TIMEOUT);
        assertEquals(1, heap.exitCode(), heap.stderr());
        assertTrue(heap.stderr().contains("ERROR: AddressSanitizer: heap-buffer-overflow"), heap.stderr());
        assertTrue(heap.stderr().contains("read_next"), heap.stderr());

        // __shared__ is a static local, which ASan gives redzones like any global.
        Result shared = EmuToolchain.run(overflow(), List.of("shared"), TIMEOUT);
        assertEquals(1, shared.exitCode(), shared.stderr());
        assertTrue(shared.stderr().contains("ERROR: AddressSanitizer: global-buffer-overflow"), shared.stderr());
        assertTrue(shared.stderr().contains("shared_next"), shared.stderr());

        Result clean = EmuToolchain.run(overflow(), List.of("clean"), TIMEOUT);
        assertEquals(0, clean.exitCode(), clean.stderr());
        assertEquals("sum=64.0", clean.stdout().strip());
    }

    @Test
    void everyTestKernelAlsoCompilesWithNvcc() throws IOException {
        Path nvcc = Path.of("/usr/local/cuda/bin/nvcc");
        assumeTrue(Files.isExecutable(nvcc), "no nvcc at " + nvcc);
        List<Path> kernels;
        try (Stream<Path> s = Files.list(dir())) {
            kernels = s.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
        assertEquals(6, kernels.size(), kernels.toString());
        Path out = Files.createDirectories(WORK.resolve("nvcc"));
        List<String> cmd = new ArrayList<>(List.of(nvcc.toString(), "-arch=sm_80", "-c", "-odir", out.toString()));
        kernels.forEach(k -> cmd.add(k.toString()));
        ProcessRunner.Outcome o = ProcessRunner.run(cmd, Map.of(), out, Duration.ofMinutes(3));
        assertEquals(0, o.exitCode(), () -> o.stdout() + o.stderr());
        for (Path k : kernels) {
            String obj = k.getFileName().toString().replace(".cu", ".o");
            assertTrue(Files.isRegularFile(out.resolve(obj)), obj);
        }
    }
}
