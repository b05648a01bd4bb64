package dev.attnc.compiler.tune;

import dev.attnc.compiler.schedule.VectorWidth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a tuned schedule is valid for: what decides which schedule is fastest and
 * nothing else (no host name, no user).
 *
 * @param cpu        the CPU model ({@code /proc/cpuinfo}'s {@code model name}, else {@code os.arch})
 * @param cores      processors available to the JVM
 * @param vectorBits the vector width kernels are built for here ({@link VectorWidth#machine()})
 * @param jdk        the JDK's feature version (17, 21, …): its C2 compiles the Vector API differently
 */
public record MachineKey(String cpu, int cores, int vectorBits, int jdk) {

    /** This machine, as this JVM sees it. */
    public static MachineKey current() {
        return new MachineKey(
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                VectorWidth.machine(),
                Runtime.version().feature());
    }

    /**
     * One line that names this key in the cache file: the fields, separated by {@code /}, with
     * runs of anything but letters, digits, dots and dashes as one {@code _} (stable, and
     * safe as a properties key).
     */
    public String id() {
        return clean(cpu) + "/" + cores + "cores/" + vectorBits + "bit/jdk" + jdk;
    }

    static String clean(String s) {
        return s.trim().replaceAll("[^A-Za-z0-9.\\-]+", "_");
    }

    private static String cpuModel() {
        try {
            Path info = Path.of("/proc/cpuinfo");
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info)) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("model name")) {
                        int colon = line.indexOf(':');
                        if (colon >= 0) {
                            return line.substring(colon + 1).trim();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the architecture names the machine less precisely
        }
        return System.getProperty("os.arch", "unknown");
    }
}
