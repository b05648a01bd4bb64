package dev.attnc.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON JMH writes with {@code -rf json} (an array of benchmark results) into
 * {@link JmhResult}s, in file order. The allocation per call is the GC profiler's
 * {@code gc.alloc.rate.norm} (older JMH versions prefix it with {@code ·}).
 */
public final class JmhJson {

    private JmhJson() {}

    public static List<JmhResult> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses JMH's JSON text.
     *
     * @throws IllegalArgumentException naming {@code source} when the text is not a JMH result array
     */
    public static List<JmhResult> parse(String json, String source) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(source + ": expected JMH's JSON array of results, got " + kind(root));
        }
        JsonArray all = root.getAsJsonArray();
        List<JmhResult> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            try {
                out.add(result(all.get(i).getAsJsonObject()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ": result " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static JmhResult result(JsonObject o) {
        Map<String, String> params = new LinkedHashMap<>();
        if (o.has("params")) {
            for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                params.put(p.getKey(), p.getValue().getAsString());
            }
        }
        JsonObject primary = required(o, "primaryMetric").getAsJsonObject();
        double alloc = Double.NaN;
        if (o.has("secondaryMetrics")) {
            for (Map.Entry<String, JsonElement> m :
                    o.getAsJsonObject("secondaryMetrics").entrySet()) {
                if (m.getKey().replace("·", "").equals("gc.alloc.rate.norm")) {
                    alloc = number(m.getValue().getAsJsonObject().get("score"));
                }
            }
        }
        return new JmhResult(
                required(o, "benchmark").getAsString(),
                required(o, "mode").getAsString(),
                o.has("forks") ? o.get("forks").getAsInt() : 1,
                params,
                number(required(primary, "score")),
                primary.has("scoreError") ? number(primary.get("scoreError")) : Double.NaN,
                required(primary, "scoreUnit").getAsString(),
                alloc,
                o.has("jdkVersion") ? o.get("jdkVersion").getAsString() : "?",
                o.has("vmName") ? o.get("vmName").getAsString() : "?");
    }

    private static JsonElement required(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return e;
    }

    /** A number, or JMH's {@code "NaN"} string. */
    private static double number(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return Double.parseDouble(e.getAsString());
        }
        return e.getAsDouble();
    }

    private static String kind(JsonElement e) {
        return e.isJsonObject() ? "an object" : e.isJsonPrimitive() ? "a value" : "null";
    }
}
