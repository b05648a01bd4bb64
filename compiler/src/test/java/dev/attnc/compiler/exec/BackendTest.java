package dev.attnc.compiler.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDriver;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaUnavailableException;
import dev.attnc.runtime.io.NpyArray;
import dev.attnc.runtime.kernel.AdditiveAttentionKernel;
import dev.attnc.runtime.kernel.AdditiveSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Backend API on small random cases: every backend that runs here against the
 * {@code reference} backend (the dense oracle in double precision), and the errors of the
 * API. Tolerances ({@code |got − want| ≤ tol + tol·|want|}): {@code java} 2e-5 (fp32 arithmetic,
 * as RunCommandTest), {@code cuda-emu} in fp32 1e-4 (as CudaEmulatedKernelsTest) and in fp16
 * 1e-2 (inputs, Q and P rounded to 11 bits). {@code cuda-emu} cases are skipped where g++ or the
 * CUDA headers are missing; {@code cuda} can only be checked for its refusal without a driver.
 */
class BackendTest {

    static final String SPEC = """
            pattern local { head_dim 8  heads 2  layers 2  window 3  global tokens [0] and from input }
            pattern fast { head_dim 4  heads 2  additive (value separate) }
            """;

    static final Pipeline.Result RESULT = Pipeline.compileSource(SourceFile.ofString("<test>", SPEC));
    static final CheckedPattern LOCAL = CheckedPattern.of(RESULT, "local");
    static final CheckedPattern FAST = CheckedPattern.of(RESULT, "fast");

    @ParameterizedTest
    @ValueSource(strings = {"java", "cuda-emu"})
    void softmaxMatchesTheReference(String backend) {
        assumeRuns(backend);
        Backend b = Backend.of(backend);
        Backend reference = Backend.of("reference");
        // One handle, several calls: lengths, both layouts, padding and runtime globals vary.
        for (TensorLayout layout : TensorLayout.values()) {
            RunOptions o = RunOptions.defaults().withLayout(layout).withLayer(1);
            try (BackendKernel k = b.open(LOCAL, o);
                    BackendKernel ref = reference.open(LOCAL, o)) {
                for (int n : new int[] {1, 9, 33}) {
                    Map<String, NpyArray> in = softmaxInputs(layout, n, 31L * n + layout.ordinal());
                    assertClose(ref.run(in), k.run(in), tolerance(backend), backend + " " + layout + " n=" + n);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "cuda-emu"})
    void additiveMatchesTheReference(String backend) {
        assumeRuns(backend);
        Map<String, NpyArray> in = additiveInputs(2, 13, 5L);
        NpyArray want = Backend.of("reference").run(FAST, RunOptions.defaults(), in);
        NpyArray got = Backend.of(backend).run(FAST, RunOptions.defaults(), in);
        assertClose(want, got, tolerance(backend), backend + " additive");
    }

    /** The CUDA backends' additive host side, built from the pattern without javac, is the generated kernel's. */
    @Test
    void theAdditiveHostSideIsTheGeneratedKernels() {
        AdditiveSpec host = (AdditiveSpec) JavaKernels.hostSide(FAST.ir());
        assertEquals(((AdditiveAttentionKernel) JavaKernels.load(FAST.ir(), null)).spec(), host);
        assertEquals(new AdditiveSpec("fast", 4, 0.5, 2, false, true), host);
    }

    @Test
    void cudaEmuRunsInHalfPrecision() {
        assumeRuns("cuda-emu");
        RunOptions o = RunOptions.defaults().withDtype(CudaDtype.F16);
        Map<String, NpyArray> in = softmaxInputs(TensorLayout.BHLD, 17, 3L);
        assertClose(
                Backend.of("reference").run(LOCAL, o, in),
                Backend.of("cuda-emu").run(LOCAL, o, in),
                1e-2,
                "cuda-emu f16");
    }

    @Test
    void anUnknownInputNameIsRefusedWithTheNames() {
        Map<String, NpyArray> in = new LinkedHashMap<>(softmaxInputs(TensorLayout.BHLD, 4, 1L));
        in.put("query", in.get("q"));
        RunException e = assertThrows(RunException.class, () -> KernelInputs.bind(LOCAL, RunOptions.defaults(), in));
        assertEquals(
                "unknown input 'query'; the inputs are: q k v qg kg vg global_mask key_valid layout prefix_len W_qa b_qa W_ka "
                        + "b_ka W_r b_r segment_ids",
                e.getMessage());
        e = assertThrows(RunException.class, () -> Backend.of("reference").run(LOCAL, RunOptions.defaults(), in));
        assertTrue(e.getMessage().startsWith("unknown input 'query'"), e.getMessage());
    }

    @Test
    void aMissingInputIsNamedAsTheCallerGivesIt() {
        Map<String, NpyArray> in = new LinkedHashMap<>(softmaxInputs(TensorLayout.BHLD, 4, 1L));
        in.remove("v");
        RunException e = assertThrows(RunException.class, () -> KernelInputs.bind(LOCAL, RunOptions.defaults(), in));
        assertEquals("input v is missing: softmax attention needs input v", e.getMessage());
        Spelling python = new Spelling() { // as a Python binding might name them
                    @Override
                    public String option(String name) {
                        return name + "=";
                    }

                    @Override
                    public String input(String name) {
                        return "inputs['" + name + "']";
                    }
                };
        assertEquals("input v is missing: softmax attention needs inputs['v']", e.message(python));
        Map<String, NpyArray> additive = new LinkedHashMap<>(additiveInputs(2, 5, 1L));
        additive.remove("W_ka");
        e = assertThrows(RunException.class, () -> KernelInputs.bind(FAST, RunOptions.defaults(), additive));
        assertEquals("input W_ka is missing: additive attention needs input W_ka", e.getMessage());
    }

    @Test
    void shapeAndOptionErrorsSayWhatWasExpected() {
        Map<String, NpyArray> in = new LinkedHashMap<>(softmaxInputs(TensorLayout.BHLD, 4, 1L));
        in.put("k", NpyArray.ofFloats(new float[2 * 4 * 16], 2, 4, 16));
        RunException e = assertThrows(RunException.class, () -> KernelInputs.bind(LOCAL, RunOptions.defaults(), in));
        assertEquals(
                "input k: expected shape [2, 2, 4, 8] (the shape of q, or [2, G, 4, 8] with G kv heads dividing 2),"
                        + " got [2, 4, 16]",
                e.getMessage());
        e = assertThrows(
                RunException.class,
                () -> Backend.of("reference").open(LOCAL, RunOptions.defaults().withLayer(2)));
        assertEquals("layer 2 is out of range: the pattern has 2 layers", e.getMessage());
        e = assertThrows(
                RunException.class,
                () -> Backend.of("java").open(LOCAL, RunOptions.defaults().withSchedule("qtile=0")));
        assertEquals("schedule: schedule qtile=0 is outside 1..1024", e.getMessage());
        e = assertThrows(
                RunException.class,
                () -> KernelInputs.bind(
                        FAST, RunOptions.defaults().withLayout(TensorLayout.BHLD), additiveInputs(1, 3, 1L)));
        assertEquals("additive patterns take token-major inputs [B, L, H*D]; drop layout bhld", e.getMessage());
    }

    @Test
    void theKernelApiChecksWhatItChecksOnce() {
        Map<String, NpyArray> in = new LinkedHashMap<>(softmaxInputs(TensorLayout.BHLD, 4, 1L));
        in.put("qg", in.get("q"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> KernelInputs.bind(LOCAL, RunOptions.defaults(), in));
        assertEquals("qg, kg, vg: give all three separate global projections or none (got qg)", e.getMessage());
        Map<String, NpyArray> additive = new LinkedHashMap<>(additiveInputs(1, 3, 1L));
        additive.remove("b_r");
        e = assertThrows(
                IllegalArgumentException.class, () -> KernelInputs.bind(FAST, RunOptions.defaults(), additive));
        assertEquals("W_r, b_r: give the output transform's matrix and bias together", e.getMessage());
    }

    @Test
    void inputsBoundForAnotherPatternAreRefused() {
        KernelInputs in = KernelInputs.bind(FAST, RunOptions.defaults(), additiveInputs(1, 3, 1L));
        try (BackendKernel k = Backend.of("reference").open(LOCAL, RunOptions.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.compute(in));
            assertEquals("inputs: bound for pattern fast, but this kernel runs local", e.getMessage());
        }
    }

    @Test
    void anUnknownBackendIsRefusedWithTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.of("tpu"));
        assertEquals("'tpu' is not a backend; use java, cuda-emu, reference, cuda", e.getMessage());
        for (String name : Backend.NAMES) {
            assertEquals(name, Backend.of(name).name());
        }
    }

    @Test
    void cudaWithoutADriverSaysWhy() {
        assumeFalse(CudaDriver.available(), "a CUDA device is present");
        Backend cuda = Backend.of("cuda");
        String why = CudaDriver.unavailableReason().orElseThrow();
        assertEquals(CudaUnavailableException.NO_DRIVER, why, "this machine has no libcuda.so.1");
        assertEquals(why, cuda.unavailableReason().orElseThrow());
        BackendException e = assertThrows(BackendException.class, () -> cuda.open(LOCAL, RunOptions.defaults()));
        assertEquals("backend cuda: " + why, e.getMessage());
        e = assertThrows(BackendException.class, () -> cuda.run(FAST, RunOptions.defaults(), additiveInputs(1, 3, 1L)));
        assertEquals("backend cuda: " + why, e.getMessage());
    }

    private static double tolerance(String backend) {
        return backend.equals("java") ? 2e-5 : 1e-4;
    }

    private static void assumeRuns(String backend) {
        Backend b = Backend.of(backend);
        assumeTrue(b.unavailableReason().isEmpty(), () -> b.unavailableReason().orElse(""));
    }

    /** q, k, v, a global mask and padding for pattern local (2 heads, head_dim 8), batch 2. */
    static Map<String, NpyArray> softmaxInputs(TensorLayout layout, int n, long seed) {
        Random r = new Random(seed);
        int[] shape = layout == TensorLayout.BHLD ? new int[] {2, 2, n, 8} : new int[] {2, n, 16};
        Map<String, NpyArray> in = new LinkedHashMap<>();
        for (String name : new String[] {"q", "k", "v"}) {
            in.put(name, NpyArray.ofFloats(randoms(r, 2 * 2 * n * 8), shape));
        }
        boolean[] global = new boolean[2 * n];
        boolean[] valid = new boolean[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            global[i] = r.nextInt(5) == 0;
            valid[i] = i % n < n - (i / n) * (n / 3); // batch item 1 has its last third padded
        }
        in.put("global_mask", NpyArray.ofBools(global, 2, n));
        in.put("key_valid", NpyArray.ofBools(valid, 2, n));
        return in;
    }

    /** Token-major q, k, v, pooling matrices and an output transform for pattern fast (2 heads, head_dim 4). */
    static Map<String, NpyArray> additiveInputs(int batch, int n, long seed) {
        Random r = new Random(seed);
        int e = 8;
        Map<String, NpyArray> in = new LinkedHashMap<>();
        for (String name : new String[] {"q", "k", "v"}) {
            in.put(name, NpyArray.ofFloats(randoms(r, batch * n * e), batch, n, e));
        }
        in.put("W_qa", NpyArray.ofFloats(randoms(r, 2 * e), 2, e));
        in.put("b_qa", NpyArray.ofFloats(randoms(r, 2), 2));
        in.put("W_ka", NpyArray.ofFloats(randoms(r, 2 * e), 2, e));
        in.put("b_ka", NpyArray.ofFloats(randoms(r, 2), 2));
        in.put("W_r", NpyArray.ofFloats(randoms(r, e * e), e, e));
        in.put("b_r", NpyArray.ofFloats(randoms(r, e), e));
        return in;
    }

    private static float[] randoms(Random r, int count) {
        float[] f = new float[count];
        for (int i = 0; i < count; i++) {
            f[i] = r.nextFloat() * 2 - 1;
        }
        return f;
    }

    private static void assertClose(NpyArray want, NpyArray got, double tol, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], tol + tol * Math.abs(w[i]), what + ": element " + i);
        }
    }
}
