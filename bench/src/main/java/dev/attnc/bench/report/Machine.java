package dev.attnc.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;

/**
 * The machine a report was measured on: what {@code machine.txt} says.
 *
 * @param cpu         CPU model ({@code /proc/cpuinfo}'s model name, else the OS architecture)
 * @param cores       processors the JVM sees
 * @param vectorBits  the Vector API's preferred species width
 * @param jdk         the benchmark forks' VM and version (from the JMH results)
 * @param os          operating system name and version
 */
public record Machine(String cpu, int cores, int vectorBits, String jdk, String os) {

    /**
     * This machine, with {@code jdk} as given; needs {@code jdk.incubator.vector} for the vector
     * width (the report runs with {@code --add-modules=jdk.incubator.vector}).
     */
    public static Machine probe(String jdk) {
        return new Machine(
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                jdk,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
    }

    private static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            } catch (IOException e) {
                // fall through to the architecture
            }
        }
        return System.getProperty("os.arch");
    }

    /** {@code machine.txt}: one {@code key: value} line per fact, then the peak. */
    public String describe(PeakCalibration peak) {
        return String.format(
                Locale.ROOT,
                "cpu: %s%ncores: %d%nvector bits: %d (FloatVector.SPECIES_PREFERRED)%njdk: %s%nos: %s%n"
                        + "peak fp32 FMA: %s%n",
                cpu,
                cores,
                vectorBits,
                jdk,
                os,
                peak.describe());
    }
}
