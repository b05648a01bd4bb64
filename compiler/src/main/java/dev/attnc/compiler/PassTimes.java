package dev.attnc.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time of every pass, summed over all files and patterns of a run, for
 * {@code attnc compile --time-passes}. {@link #lines} prints one line per pass that ran, in
 * pipeline order ({@link #ORDER}), in a stable format:
 * <pre>
 *   pass &lt;name&gt;: &lt;milliseconds, three decimals&gt; ms
 * </pre>
 * for example {@code pass parse: 1.250 ms}. Thread-safe (the front end runs on its own thread).
 */
public class PassTimes implements PassObserver {

    /** Every pass name, in pipeline order: the front end, then the back end per pattern. */
    public static final List<String> ORDER = List.of(
            "read",
            "parse",
            "imports",
            "names",
            "check",
            "lower-to-IR",
            "schedule",
            "loops",
            "emit java",
            "emit cuda",
            "nvcc");

    private final Map<String, Long> nanos = new LinkedHashMap<>();

    @Override
    public synchronized void timed(String pass, long took) {
        if (!ORDER.contains(pass)) {
            throw new IllegalArgumentException("unknown pass '" + pass + "': add it to PassTimes.ORDER");
        }
        nanos.merge(pass, took, Long::sum);
    }

    /** {@code pass <name>: <ms> ms} for each pass that ran, in pipeline order. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String pass : ORDER) {
            Long n = nanos.get(pass);
            if (n != null) {
                out.add(String.format(Locale.ROOT, "pass %s: %.3f ms", pass, n / 1e6));
            }
        }
        return out;
    }
}
