package dev.attnc.runtime.weights;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes safetensors files from float arrays: tensors in name order (data and header alike, so the
 * same tensors give the same bytes), {@code __metadata__} first with its keys sorted, the header
 * padded with spaces to a multiple of 8 bytes as the reference implementation pads it. F32 is
 * written exactly; F16 and BF16 are rounded to nearest, ties to even ({@link Float16},
 * {@link BFloat16}).
 *
 * <p>Atomic: everything is checked before any file is made, then the bytes go to a temporary file
 * beside the target which is moved over it; on any failure the temporary file is deleted and the
 * target is untouched. (The move is atomic where the file system allows; the data is not forced to
 * the disk.)
 */
public final class SafeTensorsWriter {

    private static final int BUFFER_BYTES = 1 << 16;

    private SafeTensorsWriter() {}

    /**
     * One tensor to write: its dtype (F32, F16 or BF16), shape and elements in row-major order.
     * The shape is copied; the data is not (it is read when written).
     *
     * @param dtype F32, F16 or BF16 (checked by {@link #write})
     * @param shape the dimensions, whose product must be {@code data.length} (checked by {@link #write})
     * @param data the elements, row-major
     */
    public record Tensor(DType dtype, long[] shape, float[] data) {

        public Tensor {
            Objects.requireNonNull(dtype, "dtype");
            shape = Objects.requireNonNull(shape, "shape").clone();
            Objects.requireNonNull(data, "data");
        }

        /** An F32 tensor. */
        public static Tensor f32(float[] data, long... shape) {
            return new Tensor(DType.F32, shape, data);
        }

        /** The dimensions (a copy). */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return dtype + " " + Arrays.toString(shape) + " (" + data.length + " elements)";
        }
    }

    /**
     * Writes {@code tensors} and {@code metadata} (may be null or empty) to {@code file},
     * replacing it if it exists.
     *
     * @throws WeightsException naming the file (and the tensor where there is one) if a name is
     *     null or {@code "__metadata__"}, a dtype is not F32/F16/BF16, a shape has a negative
     *     dimension or does not match its data, a metadata key or value is null, or writing fails;
     *     the target is then untouched and no temporary file remains
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        SortedMap<String, Tensor> sorted = checked(file, tensors);
        SortedMap<String, String> meta = checkedMetadata(file, metadata);
        byte[] header = header(sorted, meta);
        if (header.length > Header.MAX_HEADER_BYTES) {
            throw WeightsException.in(
                    file,
                    "the header would be " + header.length + " bytes, more than the " + Header.MAX_HEADER_BYTES
                            + " readers accept");
        }
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeAll(
                        ch,
                        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeAll(ch, ByteBuffer.wrap(header));
                ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : sorted.values()) {
                    writeData(ch, buf, t);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException | UncheckedIOException e) {
            throw WeightsException.in(file, "cannot write: " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Nothing more can be done; the original failure is the one to report.
                }
            }
        }
    }

    private static SortedMap<String, Tensor> checked(Path file, Map<String, Tensor> tensors) {
        SortedMap<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null) {
                throw WeightsException.in(file, "a tensor name is null");
            }
            if (name.equals("__metadata__")) {
                throw WeightsException.tensor(file, name, "is the header's metadata key, not a tensor name");
            }
            if (t == null) {
                throw WeightsException.tensor(file, name, "is null");
            }
            if (t.dtype() != DType.F32 && t.dtype() != DType.F16 && t.dtype() != DType.BF16) {
                throw WeightsException.tensor(
                        file, name, "dtype " + t.dtype() + " is not written from floats (F32, F16 or BF16)");
            }
            long n = 1; // -1 once the product overflows, unless a dimension is 0
            boolean empty = false;
            for (long d : t.shape) {
                if (d < 0) {
                    throw WeightsException.tensor(
                            file, name, "negative dimension in shape " + Arrays.toString(t.shape));
                }
                empty |= d == 0;
                n = n < 0 || (d != 0 && n > Long.MAX_VALUE / d) ? -1 : n * d;
            }
            n = empty ? 0 : n;
            if (n != t.data.length) {
                throw WeightsException.tensor(
                        file,
                        name,
                        "shape " + Arrays.toString(t.shape) + " has " + (n < 0 ? "more than 2^63" : Long.toString(n))
                                + " elements, the data " + t.data.length);
            }
            sorted.put(name, t);
        }
        return sorted;
    }

    private static SortedMap<String, String> checkedMetadata(Path file, Map<String, String> metadata) {
        SortedMap<String, String> sorted = new TreeMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw WeightsException.in(
                            file, "metadata entry " + e.getKey() + " = " + e.getValue() + " has a null key or value");
                }
                sorted.put(e.getKey(), e.getValue());
            }
        }
        return sorted;
    }

    /** The header's UTF-8 bytes, padded with spaces to a multiple of 8. */
    private static byte[] header(SortedMap<String, Tensor> tensors, SortedMap<String, String> metadata) {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.setHtmlSafe(false);
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name("__metadata__").beginObject();
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                long end = offset + (long) t.data.length * t.dtype.bytes();
                w.name(e.getKey()).beginObject();
                w.name("dtype").value(t.dtype.name());
                w.name("shape").beginArray();
                for (long d : t.shape) {
                    w.value(d);
                }
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(end).endArray();
                w.endObject();
                offset = end;
            }
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) & ~7;
        byte[] out = Arrays.copyOf(bytes, padded);
        Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel ch, ByteBuffer buf, Tensor t) throws IOException {
        int width = t.dtype.bytes();
        float[] data = t.data;
        int perBuffer = buf.capacity() / width;
        for (int first = 0; first < data.length; first += perBuffer) {
            int count = Math.min(perBuffer, data.length - first);
            buf.clear();
            switch (t.dtype) {
                case F32 -> {
                    buf.asFloatBuffer().put(data, first, count);
                    buf.position(count * 4);
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        buf.putShort(Float16.fromFloat(data[first + i]));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        buf.putShort(BFloat16.fromFloat(data[first + i]));
                    }
                }
                default -> throw new AssertionError(t.dtype);
            }
            writeAll(ch, buf.flip());
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
