package dev.attnc.runtime.weights;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The checked header of one safetensors file: where its data section starts and how long it is,
 * its tensors by name and its {@code __metadata__}.
 *
 * <p>{@link #read} trusts no number of the file before checking it: the header length against
 * {@link #MAX_HEADER_BYTES} and the file size before anything is allocated; every entry's fields
 * and JSON types; the dtype; dimensions non-negative and at most {@link #MAX_RANK} of them; the
 * element and byte counts without overflow; {@code begin <= end}; {@code end - begin} equal to the
 * shape's bytes; {@code end} inside the data section; no two tensors' bytes overlapping; no name
 * twice. Gaps between tensors and bytes after the last one are allowed (the reference
 * implementation refuses them; they are harmless to a reader that reads only declared ranges).
 *
 * @param dataStart the file offset of the data section: 8 plus the header length
 * @param dataSize the bytes from {@code dataStart} to the end of the file when it was read
 * @param tensors the tensors by name (sorted, unmodifiable)
 * @param metadata the {@code __metadata__} entries (sorted, unmodifiable; empty if none)
 */
record Header(
        long dataStart,
        long dataSize,
        NavigableMap<String, TensorInfo> tensors,
        NavigableMap<String, String> metadata) {

    /** The longest header accepted, in bytes; the reference implementation's limit too. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The most dimensions a shape may have (NumPy's limit). */
    static final int MAX_RANK = 64;

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    /**
     * Reads and checks the header of {@code ch}, the open file {@code file}.
     *
     * @throws WeightsException naming the file (and the tensor where there is one) for anything
     *     but a valid safetensors header
     * @throws IOException if reading fails
     */
    static Header read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw WeightsException.in(
                    file,
                    "only " + size + " bytes; a safetensors file starts with an 8-byte little-endian header length");
        }
        long n = readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
            throw WeightsException.in(
                    file,
                    "header length " + Long.toUnsignedString(n) + " bytes is more than the " + MAX_HEADER_BYTES
                            + " accepted (is this a safetensors file?)");
        }
        if (n > size - 8) {
            throw WeightsException.in(
                    file,
                    "header length " + n + " bytes runs past the end of the file (" + size + " bytes, so at most "
                            + (size - 8) + ")");
        }
        byte[] bytes = readFully(ch, 8, (int) n).array();
        String text = JsonText.utf8(file, bytes, "header", 8);
        return parse(file, text, 8 + n, size - 8 - n);
    }

    /**
     * Parses and checks a header's JSON text for a data section of {@code dataSize} bytes at file
     * offset {@code dataStart}.
     *
     * @throws WeightsException naming the file (and the tensor where there is one)
     */
    static Header parse(Path file, String text, long dataStart, long dataSize) {
        try {
            return new Parser(file, JsonText.reader(text), dataSize).header(dataStart);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson's syntax errors (MalformedJsonException, EOFException), with its position.
            throw WeightsException.in(file, "header is not valid JSON: " + JsonText.syntaxError(e), e);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at offset " + (position + b.position()));
            }
        }
        return b.flip();
    }

    /** One pass over the JSON, building the tensors and the metadata. */
    private static final class Parser {
        private final Path file;
        private final JsonReader r;
        private final long dataSize;

        Parser(Path file, JsonReader r, long dataSize) {
            this.file = file;
            this.r = r;
            this.dataSize = dataSize;
        }

        Header header(long dataStart) throws IOException {
            JsonText.expect(r, JsonToken.BEGIN_OBJECT, "the header", what -> WeightsException.in(file, what));
            r.beginObject();
            TreeMap<String, TensorInfo> tensors = new TreeMap<>();
            TreeMap<String, String> metadata = null;
            while (r.hasNext()) {
                String key = r.nextName();
                if (key.equals("__metadata__")) {
                    if (metadata != null) {
                        throw WeightsException.in(file, "\"__metadata__\" appears twice in the header");
                    }
                    metadata = metadata();
                } else {
                    if (tensors.containsKey(key)) {
                        throw WeightsException.tensor(file, key, "appears twice in the header");
                    }
                    tensors.put(key, entry(key));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw WeightsException.in(file, "header has more after its JSON object " + JsonText.where(r));
            }
            checkOverlaps(tensors);
            return new Header(
                    dataStart,
                    dataSize,
                    Collections.unmodifiableNavigableMap(tensors),
                    Collections.unmodifiableNavigableMap(metadata == null ? new TreeMap<>() : metadata));
        }

        private TreeMap<String, String> metadata() throws IOException {
            Function<String, WeightsException> error = what -> WeightsException.in(file, what);
            JsonText.expect(r, JsonToken.BEGIN_OBJECT, "\"__metadata__\"", error);
            TreeMap<String, String> m = new TreeMap<>();
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (m.containsKey(key)) {
                    throw error.apply("\"__metadata__\" key '" + key + "' appears twice");
                }
                JsonText.expect(r, JsonToken.STRING, "\"__metadata__\" value of '" + key + "'", error);
                m.put(key, r.nextString());
            }
            r.endObject();
            return m;
        }

        private TensorInfo entry(String name) throws IOException {
            Function<String, WeightsException> error = what -> WeightsException.tensor(file, name, what);
            JsonText.expect(r, JsonToken.BEGIN_OBJECT, "its entry", error);
            r.beginObject();
            String dtypeText = null;
            long[] shape = null;
            long[] offsets = null;
            while (r.hasNext()) {
                String key = r.nextName();
                switch (key) {
                    case "dtype" -> {
                        once(dtypeText, key, error);
                        JsonText.expect(r, JsonToken.STRING, "\"dtype\"", error);
                        dtypeText = r.nextString();
                    }
                    case "shape" -> {
                        once(shape, key, error);
                        shape = integers("\"shape\"", "dimension", MAX_RANK, error);
                    }
                    case "data_offsets" -> {
                        once(offsets, key, error);
                        offsets = integers("\"data_offsets\"", "offset", 2, error);
                    }
                    default -> r.skipValue();
                }
            }
            r.endObject();
            if (dtypeText == null || shape == null || offsets == null) {
                String missing = dtypeText == null ? "dtype" : shape == null ? "shape" : "data_offsets";
                throw error.apply("its entry has no \"" + missing
                        + "\" (expected {\"dtype\": \"F32\", \"shape\": [...], \"data_offsets\": [begin, end]})");
            }
            if (offsets.length != 2) {
                throw error.apply(
                        "\"data_offsets\" must hold two numbers [begin, end], found " + Arrays.toString(offsets));
            }
            DType dtype;
            try {
                dtype = DType.parse(dtypeText);
            } catch (IllegalArgumentException e) {
                throw error.apply(e.getMessage());
            }
            return checked(name, dtype, shape, offsets[0], offsets[1], error);
        }

        /** Refuses a field seen before ({@code seen} non-null). */
        private static void once(Object seen, String key, Function<String, WeightsException> error) {
            if (seen != null) {
                throw error.apply("\"" + key + "\" appears twice in its entry");
            }
        }

        /** The entry's numbers checked against each other and against the data section. */
        private TensorInfo checked(
                String name,
                DType dtype,
                long[] shape,
                long begin,
                long end,
                Function<String, WeightsException> error) {
            String range = "data_offsets [" + begin + ", " + end + "]";
            long bytes;
            try {
                long elements = 1;
                for (long d : shape) {
                    elements = Math.multiplyExact(elements, d);
                }
                bytes = Math.multiplyExact(elements, (long) dtype.bytes());
            } catch (ArithmeticException e) {
                throw error.apply("shape " + Arrays.toString(shape) + " of " + dtype
                        + " has more bytes than a 64-bit count holds");
            }
            if (begin > end) {
                throw error.apply(range + ": begin is after end");
            }
            if (end - begin != bytes) {
                throw error.apply("shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes + " bytes, "
                        + range + " hold " + (end - begin));
            }
            if (end > dataSize) {
                throw error.apply(range + " end past the data section, which holds " + dataSize
                        + " bytes (is the file truncated?)");
            }
            return new TensorInfo(name, dtype, shape, begin, end);
        }

        /** A JSON array of at most {@code max} non-negative integers that fit a long. */
        private long[] integers(String what, String kind, int max, Function<String, WeightsException> error)
                throws IOException {
            JsonText.expect(r, JsonToken.BEGIN_ARRAY, what, error);
            r.beginArray();
            List<Long> values = new ArrayList<>();
            while (r.hasNext()) {
                if (values.size() == max) {
                    throw error.apply(what + " has more than " + max + " entries " + JsonText.where(r));
                }
                JsonText.expect(r, JsonToken.NUMBER, what + " entry", error);
                String literal = r.nextString();
                if (!INTEGER.matcher(literal).matches()) {
                    throw error.apply(what + " entry " + literal + " is not an integer " + JsonText.where(r));
                }
                BigInteger v = new BigInteger(literal);
                if (v.signum() < 0) {
                    throw error.apply("negative " + kind + " " + literal + " in " + what);
                }
                if (v.bitLength() > 63) {
                    throw error.apply(kind + " " + literal + " in " + what + " is larger than a 64-bit count holds");
                }
                values.add(v.longValue());
            }
            r.endArray();
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        /** No two non-empty byte ranges may share a byte. */
        private void checkOverlaps(SortedMap<String, TensorInfo> tensors) {
            List<TensorInfo> byBegin = new ArrayList<>(tensors.values());
            byBegin.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
            TensorInfo reach = null; // the tensor reaching furthest so far
            for (TensorInfo t : byBegin) {
                if (t.byteSize() == 0) {
                    continue;
                }
                if (reach != null && t.begin() < reach.end()) {
                    throw WeightsException.tensor(
                            file,
                            t.name(),
                            "data_offsets [" + t.begin() + ", " + t.end() + "] overlap those of tensor '" + reach.name()
                                    + "' [" + reach.begin() + ", " + reach.end() + "]");
                }
                if (reach == null || t.end() > reach.end()) {
                    reach = t;
                }
            }
        }
    }
}
