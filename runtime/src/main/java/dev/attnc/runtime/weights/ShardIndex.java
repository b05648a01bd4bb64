package dev.attnc.runtime.weights;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A sharded checkpoint's index, {@code model.safetensors.index.json}:
 * {@code {"metadata": {...}, "weight_map": {tensor name: shard file name}}}. Only
 * {@code "weight_map"} is read; {@code "metadata"} (e.g. {@code total_size}) and any other key
 * are skipped. Every shard must be a plain file name in the index's folder.
 *
 * @param file the index file
 * @param weightMap tensor name to shard file name (sorted, unmodifiable)
 */
record ShardIndex(Path file, NavigableMap<String, String> weightMap) {

    /** Indexes are a few megabytes at most; anything longer than a header may be is refused. */
    static final long MAX_BYTES = Header.MAX_HEADER_BYTES;

    /**
     * Reads and checks an index file.
     *
     * @throws WeightsException naming the file (and the tensor where there is one) if it is
     *     missing, not JSON, has no {@code "weight_map"} object, or maps a name twice or to
     *     something other than a file name
     */
    static ShardIndex read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw WeightsException.in(
                        file, size + " bytes is more than the " + MAX_BYTES + " accepted for a shard index");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw WeightsException.in(file, "no such file", e);
        } catch (IOException e) {
            throw WeightsException.in(file, "cannot read: " + e, e);
        }
        String text = JsonText.utf8(file, bytes, "index", 0);
        try {
            return new ShardIndex(file, weightMap(file, JsonText.reader(text)));
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw WeightsException.in(file, "index is not valid JSON: " + JsonText.syntaxError(e), e);
        }
    }

    private static NavigableMap<String, String> weightMap(Path file, JsonReader r) throws IOException {
        Function<String, WeightsException> error = what -> WeightsException.in(file, what);
        JsonText.expect(r, JsonToken.BEGIN_OBJECT, "the index", error);
        r.beginObject();
        TreeMap<String, String> map = null;
        while (r.hasNext()) {
            String key = r.nextName();
            if (!key.equals("weight_map")) {
                r.skipValue();
                continue;
            }
            if (map != null) {
                throw error.apply("\"weight_map\" appears twice in the index");
            }
            JsonText.expect(r, JsonToken.BEGIN_OBJECT, "\"weight_map\"", error);
            map = new TreeMap<>();
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                Function<String, WeightsException> tensorError = what -> WeightsException.tensor(file, name, what);
                if (map.containsKey(name)) {
                    throw tensorError.apply("appears twice in \"weight_map\"");
                }
                JsonText.expect(r, JsonToken.STRING, "its shard in \"weight_map\"", tensorError);
                String shard = r.nextString();
                if (!isPlainFileName(shard)) {
                    throw tensorError.apply(
                            "shard '" + shard + "' is not a file name in the index's folder (no folders, '.' or '..')");
                }
                map.put(name, shard);
            }
            r.endObject();
        }
        r.endObject();
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw error.apply("index has more after its JSON object " + JsonText.where(r));
        }
        if (map == null) {
            throw error.apply(
                    "index has no \"weight_map\" (expected {\"metadata\": {...}, \"weight_map\": {tensor name: shard file}})");
        }
        return Collections.unmodifiableNavigableMap(map);
    }

    private static boolean isPlainFileName(String s) {
        return !s.isEmpty()
                && !s.equals(".")
                && !s.equals("..")
                && s.indexOf('/') < 0
                && s.indexOf('\\') < 0
                && s.indexOf('\0') < 0;
    }
}
