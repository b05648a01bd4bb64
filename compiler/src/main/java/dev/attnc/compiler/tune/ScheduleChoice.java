package dev.attnc.compiler.tune;

import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.schedule.Schedule;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Which schedule a build gives a pattern, in this order:
 *
 * <ol>
 *   <li>explicit overrides ({@code --schedule}, the plugin's {@code schedule}) win, always;</li>
 *   <li>with tuning asked for ({@code --tune}, the plugin's {@code tune}), a fresh measurement
 *       ({@link Tuner}), stored in the cache;</li>
 *   <li>else a schedule the cache holds for this machine and pattern;</li>
 *   <li>else nothing: the cost model's default.</li>
 * </ol>
 *
 * Additive patterns have no schedule and are left alone. What was chosen, and why, is reported
 * to {@code log} (one line per pattern that is tuned or taken from the cache).
 *
 * @param tune      measure (rather than only read the cache)
 * @param cache     where tuned schedules are kept; null: no cache (neither read nor written)
 * @param budgetNanos the measurement's budget per pattern
 */
public record ScheduleChoice(boolean tune, ScheduleCache cache, long budgetNanos) {

    /** The default budget of a measurement, per pattern. */
    public static final long DEFAULT_BUDGET_NANOS = 2_000_000_000L;

    /** No tuning, the standard cache read: what a build does unless told otherwise. */
    public static ScheduleChoice standard() {
        return new ScheduleChoice(false, ScheduleCache.standard(), DEFAULT_BUDGET_NANOS);
    }

    /** Whether this JVM can measure kernels: the Vector API module is in it (the Maven plugin's JVM may lack it). */
    public static boolean canMeasure() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The overrides to build {@code p} with: {@code explicit} when given, else a tuned or cached
     * schedule's (every field), else {@code null} (the cost model's).
     */
    public String overrides(PatternIR p, String explicit, Consumer<String> log, Consumer<String> warn) {
        if (Schedule.given(explicit) || p.isAdditive()) {
            return explicit;
        }
        String key = PatternKey.of(p);
        MachineKey machine = MachineKey.current();
        if (tune) {
            if (!canMeasure()) {
                warn.accept("cannot tune " + p.name() + ": this JVM lacks the jdk.incubator.vector module "
                        + "(for Maven, add --add-modules jdk.incubator.vector to .mvn/jvm.config or MAVEN_OPTS)");
            } else {
                try {
                    Tuner.Result r = Tuner.tune(p, budgetNanos);
                    log.accept("tuned " + p.name() + ": " + r.best() + " (" + times(r.seconds()) + ")");
                    if (cache != null) {
                        try {
                            cache.put(machine, key, r.best());
                        } catch (IOException e) {
                            warn.accept("cannot write the schedule cache " + cache.file() + ": " + e.getMessage());
                        }
                    }
                    return r.best().overrides();
                } catch (RuntimeException e) {
                    warn.accept("cannot tune " + p.name() + " (the cost model's schedule is used): " + e.getMessage());
                    return null;
                }
            }
        }
        if (cache != null) {
            Optional<Schedule> cached = cache.get(machine, key);
            if (cached.isPresent()) {
                log.accept("schedule of " + p.name() + " from the tuning cache " + cache.file() + ": " + cached.get());
                return cached.get().overrides();
            }
        }
        return null;
    }

    private static String times(Map<Schedule, Double> seconds) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Schedule, Double> e : seconds.entrySet()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            Schedule s = e.getKey();
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "qtile=%d ktile=%d rows=%d vecs=%d: %.2f ms",
                    s.queryTile(),
                    s.keyTile(),
                    s.rows(),
                    s.vectors(),
                    e.getValue() * 1e3));
        }
        return "fastest call of each candidate at n = " + Tuner.LENGTH + ": " + sb;
    }
}
