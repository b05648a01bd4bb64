package dev.attnc.bench.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.cuda.CudaDtype;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device benchmark's command line: defaults, every option, and errors that name the option. */
class DeviceBenchOptionsTest {

    @Test
    void noArgumentsGiveTheBriefsGrid() {
        DeviceBenchOptions o = DeviceBenchOptions.parse();
        assertEquals(List.of("longformer_base", "bigbird_itc", "dense", "fastformer"), o.patterns());
        assertEquals(List.of(4096, 8192, 16384, 32768, 65536), o.lengths());
        assertEquals(List.of(CudaDtype.F16, CudaDtype.BF16, CudaDtype.F32), o.dtypes());
        assertEquals(5, o.warmup());
        assertEquals(20, o.iterations());
        assertNull(o.out());
        assertEquals(false, o.requireDevice());
        assertEquals(DeviceBenchOptions.defaults(), o);
    }

    @Test
    void everyOptionIsRead() {
        DeviceBenchOptions o = DeviceBenchOptions.parse(
                "--patterns",
                "dense, fastformer",
                "--n",
                "4096,65536",
                "--dtypes",
                "bf16,f32,FP16",
                "--warmup",
                "0",
                "--iterations",
                "3",
                "--out",
                "r/dev.tsv",
                "--require-device");
        assertEquals(List.of("dense", "fastformer"), o.patterns());
        assertEquals(List.of(4096, 65536), o.lengths());
        assertEquals(List.of(CudaDtype.BF16, CudaDtype.F32, CudaDtype.F16), o.dtypes());
        assertEquals(0, o.warmup());
        assertEquals(3, o.iterations());
        assertEquals(Path.of("r/dev.tsv"), o.out());
        assertTrue(o.requireDevice());
    }

    @Test
    void errorsNameTheOptionAndTheExpectedValue() {
        assertMessage("unknown option '--size'", "--size", "4");
        assertMessage("--n: missing value", "--n");
        assertMessage("--n: missing value", "--n", "--require-device");
        assertMessage("--n: expected an integer, got '4k'", "--n", "4k");
        assertMessage("--n: expected lengths >= 1, got 0", "--n", "0");
        assertMessage("--dtypes: expected fp16, bf16 or fp32, got 'fp8'", "--dtypes", "fp16,fp8");
        assertMessage("--patterns: empty item in 'dense,'", "--patterns", "dense,");
        assertMessage("--iterations: expected >= 1, got 0", "--iterations", "0");
        assertMessage("--warmup: expected >= 0, got -1", "--warmup", "-1");
    }

    private static void assertMessage(String start, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceBenchOptions.parse(args));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
