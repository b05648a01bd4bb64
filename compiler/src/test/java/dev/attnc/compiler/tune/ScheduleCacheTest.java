package dev.attnc.compiler.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.compiler.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning cache: round trip, keys, and the order explicit → tuned/cached → cost model. */
class ScheduleCacheTest {

    private static final MachineKey HERE = new MachineKey("AMD EPYC 9R14 (x) @ 2.6GHz", 2, 512, 17);
    private static final Schedule A = new Schedule(64, 64, 2, 8, 2, 512);
    private static final Schedule B = new Schedule(32, 128, 3, 4, 4, 512);

    static PatternIR pattern(String file, String text) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString(file, text));
        assertTrue(r.ok(), r.diagnostics()::render);
        return r.patterns().get(0);
    }

    @Test
    void roundTripReplacesAndKeepsOthers(@TempDir Path dir) throws IOException {
        ScheduleCache c = new ScheduleCache(dir.resolve("sub/dir/schedules.txt"));
        assertEquals(Optional.empty(), c.get(HERE, "p-0011"));
        c.put(HERE, "p-0011", A);
        c.put(HERE, "q-0022", B);
        assertEquals(Optional.of(A), c.get(HERE, "p-0011"));
        c.put(HERE, "p-0011", B);
        assertEquals(Optional.of(B), c.get(HERE, "p-0011"));
        assertEquals(Optional.of(B), new ScheduleCache(c.file()).get(HERE, "q-0022"), "read back by a new instance");
        MachineKey other = new MachineKey(HERE.cpu(), HERE.cores(), 256, HERE.jdk());
        assertEquals(Optional.empty(), c.get(other, "p-0011"), "another vector width is another machine");
        MachineKey otherJdk = new MachineKey(HERE.cpu(), HERE.cores(), 512, 25);
        assertEquals(Optional.empty(), c.get(otherJdk, "p-0011"), "another JDK is another machine");
    }

    @Test
    void badLinesAreIgnoredAndDroppedAtTheNextWrite(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("schedules.txt");
        String key = HERE.id() + " | p-0011";
        Files.writeString(
                f,
                "# comment\nnot a line\n" + key + " = qtile=0\n" + HERE.id() + " | q-0022 = " + A.overrides() + "\n");
        ScheduleCache c = new ScheduleCache(f);
        assertEquals(Optional.empty(), c.get(HERE, "p-0011"), "qtile=0 is not a schedule");
        assertEquals(Optional.of(A), c.get(HERE, "q-0022"));
        c.put(HERE, "r-0033", B);
        String text = Files.readString(f);
        assertTrue(!text.contains("qtile=0") && !text.contains("not a line"), text);
        assertTrue(text.contains(HERE.id() + " | q-0022 = " + A.overrides()), text);
    }

    @Test
    void keysAreStable() {
        assertEquals("AMD_EPYC_9R14_x_2.6GHz/2cores/512bit/jdk17", HERE.id());
        String spec = "pattern p {\n  head_dim 64\n  window 256 each side\n  global tokens [0]\n}\n";
        PatternIR here = pattern("a/one.attn", spec);
        PatternIR moved = pattern("b/two.attn", "// moved and commented\n" + spec);
        PatternIR wider = pattern("a/one.attn", spec.replace("256", "512"));
        assertEquals(PatternKey.of(here), PatternKey.of(moved), "the position of the spec is not part of the key");
        assertTrue(PatternKey.of(here).matches("p-[0-9a-f]{16}"), PatternKey.of(here));
        assertTrue(!PatternKey.of(here).equals(PatternKey.of(wider)), "a wider window is another pattern");
        assertEquals(PatternKey.of(here), PatternKey.of(pattern("a/one.attn", spec)), "the same in a second compile");
        MachineKey now = MachineKey.current();
        assertEquals(now, MachineKey.current(), "the machine's key does not change within a run");
    }

    @Test
    void explicitOverridesBeatTheCacheAndTheCacheBeatsTheCostModel(@TempDir Path dir) throws IOException {
        PatternIR p = pattern("p.attn", "pattern p { head_dim 32  window 8 each side }\n");
        ScheduleCache cache = new ScheduleCache(dir.resolve("schedules.txt"));
        ScheduleChoice choice = new ScheduleChoice(false, cache, ScheduleChoice.DEFAULT_BUDGET_NANOS);
        List<String> log = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        assertNull(choice.overrides(p, null, log::add, warnings::add), "nothing cached: the cost model");
        Schedule tuned = new Schedule(16, 32, 1, 4, 1, 128);
        cache.put(MachineKey.current(), PatternKey.of(p), tuned);
        assertEquals(tuned.overrides(), choice.overrides(p, null, log::add, warnings::add));
        assertEquals(
                tuned,
                Pipeline.lower(p, tuned.overrides(), dev.attnc.compiler.PassObserver.NONE)
                        .schedule());
        assertTrue(log.size() == 1 && log.get(0).contains("tuning cache"), log::toString);
        assertEquals("qtile=8", choice.overrides(p, "qtile=8", log::add, warnings::add), "--schedule wins");
        assertEquals(
                "qtile=8",
                new ScheduleChoice(true, cache, 1).overrides(p, "qtile=8", log::add, warnings::add),
                "--schedule wins over --tune too");
        assertNull(new ScheduleChoice(false, null, 1).overrides(p, null, log::add, warnings::add), "no cache");
        assertTrue(warnings.isEmpty(), warnings::toString);
    }
}
