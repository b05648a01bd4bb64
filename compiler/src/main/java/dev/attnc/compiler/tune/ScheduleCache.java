package dev.attnc.compiler.tune;

import dev.attnc.compiler.io.AtomicFile;
import dev.attnc.compiler.schedule.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tuned schedules by machine and pattern, in one small text file: a line
 * {@code <machine id> | <pattern key> = <schedule overrides>} per entry ({@link MachineKey#id()},
 * {@link PatternKey#of}, {@link Schedule#overrides()}), sorted, {@code #} comments; written
 * atomically. Lines that do not parse, or whose schedule is no longer valid, are ignored when
 * read (and dropped at the next write), so a stale or hand-edited file never breaks a build.
 *
 * <p>The file is {@code ${user.home}/.cache/attnc/schedules.txt}, or the path of the system
 * property {@value #PROPERTY} (tests, and builds that want their own).
 */
public final class ScheduleCache {

    /** The system property that names the cache file instead of the default. */
    public static final String PROPERTY = "attnc.tune.cache";

    private static final String SEPARATOR = " | ";

    private final Path file;

    public ScheduleCache(Path file) {
        this.file = file;
    }

    /** The cache this JVM uses by default: {@value #PROPERTY}, else under {@code ${user.home}/.cache/attnc/}. */
    public static ScheduleCache standard() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return new ScheduleCache(Path.of(p));
        }
        return new ScheduleCache(Path.of(System.getProperty("user.home"), ".cache", "attnc", "schedules.txt"));
    }

    public Path file() {
        return file;
    }

    /** The schedule tuned for {@code pattern} on {@code machine}, if the file has one. */
    public Optional<Schedule> get(MachineKey machine, String pattern) {
        String v = read().get(key(machine, pattern));
        return v == null ? Optional.empty() : Optional.of(parse(v));
    }

    /**
     * Records {@code schedule} for {@code pattern} on {@code machine}, replacing an earlier one.
     *
     * @throws IOException if the file or its directory cannot be written
     */
    public void put(MachineKey machine, String pattern, Schedule schedule) throws IOException {
        Map<String, String> all = read();
        all.put(key(machine, pattern), schedule.overrides());
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFile.write(file, w -> {
            w.write("# attnc: schedules chosen by measurement (attnc compile --tune); machine | pattern = schedule\n");
            for (Map.Entry<String, String> e : all.entrySet()) {
                w.write(e.getKey() + " = " + e.getValue() + "\n");
            }
        });
    }

    private static String key(MachineKey machine, String pattern) {
        return machine.id() + SEPARATOR + pattern;
    }

    private static Schedule parse(String overrides) {
        return new Schedule(1, 1, 1, 1, 1, Schedule.bitsOf(overrides, 128)).with(overrides);
    }

    /** The valid entries of the file, sorted by key; none when it is missing or unreadable. */
    private Map<String, String> read() {
        Map<String, String> m = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return m;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.lastIndexOf(" = ");
                if (line.startsWith("#") || eq < 0 || !line.contains(SEPARATOR)) {
                    continue;
                }
                String k = line.substring(0, eq).trim();
                String v = line.substring(eq + 3).trim();
                try {
                    parse(v);
                    m.put(k, v);
                } catch (IllegalArgumentException e) {
                    // a schedule this version does not accept: ignore the line
                }
            }
        } catch (IOException e) {
            // unreadable: as if empty
        }
        return m;
    }
}
