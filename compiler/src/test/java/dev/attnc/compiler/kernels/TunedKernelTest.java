package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.compiler.tune.MachineKey;
import dev.attnc.compiler.tune.PatternKey;
import dev.attnc.compiler.tune.ScheduleCache;
import dev.attnc.compiler.tune.ScheduleChoice;
import dev.attnc.compiler.tune.Tuner;
import dev.attnc.runtime.TensorLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measured tuning end to end, without timing assertions: the tuner picks one of its candidates,
 * the kernel built with the choice matches the dense reference (tolerance of
 * {@link KernelHarness}), and the choice lands in the cache for this machine and pattern.
 */
class TunedKernelTest {

    private static final String SPEC =
            "pattern tuned {\n  head_dim 32\n  heads 2\n  window 40 each side\n  global tokens [0]\n}\n";

    @Test
    void aTunedKernelMatchesTheReferenceAndIsCached(@TempDir Path dir) throws IOException {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("tuned.attn", SPEC));
        assertTrue(r.ok(), r.diagnostics()::render);
        PatternIR p = r.patterns().get(0);
        ScheduleCache cache = new ScheduleCache(dir.resolve("schedules.txt"));
        List<String> log = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String overrides = new ScheduleChoice(true, cache, 300_000_000L).overrides(p, null, log::add, warnings::add);
        assertTrue(warnings.isEmpty(), warnings::toString);
        assertTrue(log.size() == 1 && log.get(0).startsWith("tuned tuned: "), log::toString);
        Schedule base =
                Pipeline.lower(p, null, dev.attnc.compiler.PassObserver.NONE).schedule();
        Schedule chosen = Pipeline.lower(p, overrides, dev.attnc.compiler.PassObserver.NONE)
                .schedule();
        assertTrue(Tuner.candidates(base).contains(chosen), chosen + " is not among " + Tuner.candidates(base));
        assertEquals(Optional.of(chosen), cache.get(MachineKey.current(), PatternKey.of(p)));
        for (int n : new int[] {1, 63, 200}) {
            KernelHarness.compare(
                    r.unit().orElseThrow(),
                    p,
                    KernelHarness.load(p, overrides),
                    new KernelHarness.Case(2, 2, n, TensorLayout.BLHD, true, true, false, 0, n),
                    2f);
        }
    }
}
