package dev.attnc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeakCalibrationTest {

    @Test
    void parsesTheCProgramsOutputWithItsSource() {
        PeakCalibration p = PeakCalibration.parse(Fixtures.text("peak.txt"), "peak.txt");
        assertEquals("C bench/peak/fma_peak.c (gcc -O3 -march=native -fopenmp)", p.source());
        assertEquals(220.5, p.oneThread(), 0.0);
        assertEquals(2, p.threads());
        assertEquals(440.0, p.allThreads(), 0.0);
        assertEquals(25.0, p.percentOf(110.0), 1e-12);
    }

    @Test
    void parsesTheVectorApiLoopsOutput() {
        String out = "source: Java dev.attnc.bench.peak.VectorFmaPeak (no C compiler)\n"
                + "fma_peak: Vector API FloatVector.SPECIES_PREFERRED (256 bits), 12 chains, best of 5 runs\n"
                + "1 thread:   101.0 GFLOP/s\n"
                + "8 threads:  790.5 GFLOP/s\n";
        PeakCalibration p = PeakCalibration.parse(out, "peak.txt");
        assertEquals(8, p.threads());
        assertEquals(790.5, p.allThreads(), 0.0);
        assertTrue(p.method().startsWith("Vector API"));
    }

    @Test
    void aMissingLineIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PeakCalibration.parse("1 thread: 5.0 GFLOP/s\n", "p.txt"));
        assertEquals("p.txt: no '<threads> threads: <x> GFLOP/s' line", e.getMessage());
    }
}
