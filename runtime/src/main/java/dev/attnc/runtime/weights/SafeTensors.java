package dev.attnc.runtime.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * One open safetensors file ({@code model.safetensors} or one shard of a checkpoint): an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON naming each tensor's dtype, shape and byte
 * range in the data section that follows, then the data, little-endian and row-major.
 *
 * <p>{@link #open} reads and checks the header only (every check {@code Header} lists, so a
 * hostile file fails there with a {@link WeightsException} naming the file and the tensor, never
 * with an unrelated exception or an allocation sized by an unchecked number). Tensor data stays on
 * disk until {@link #floats} or {@link #longs} asks for one tensor: its byte range is memory-mapped
 * read-only (in pieces of at most {@link #MAP_CHUNK_BYTES}, as a mapping is limited to 2 GiB) and
 * converted into a new Java array.
 *
 * <p>Thread-safe: after {@code open} the object is immutable and reads may run concurrently.
 * {@link #close} releases the file; arrays already returned stay valid.
 */
public final class SafeTensors implements AutoCloseable {

    /** The most elements a returned array may have (the JVM's practical array limit). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The largest piece of a tensor mapped at once: 1 GiB. */
    static final long MAP_CHUNK_BYTES = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final Header header;
    private final SortedSet<String> names;

    private SafeTensors(Path file, FileChannel channel, Header header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.names = header.tensors().navigableKeySet();
    }

    /**
     * Opens {@code file} and checks its header; the file stays open until {@link #close}.
     *
     * @throws WeightsException naming the file (and the tensor where there is one) if it is
     *     missing, unreadable, or not a valid safetensors file
     */
    public static SafeTensors open(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw WeightsException.in(
                    file, "is a folder, not a safetensors file (Checkpoint.open reads a model folder)");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw WeightsException.in(file, "no such file", e);
        } catch (IOException | SecurityException e) {
            throw WeightsException.in(file, "cannot open: " + e, e);
        }
        try {
            return new SafeTensors(file, ch, Header.read(file, ch));
        } catch (IOException e) {
            closeQuietly(ch, e);
            throw WeightsException.in(file, "cannot read the header: " + e, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch, e);
            throw e;
        }
    }

    /** The file, as given to {@link #open}. */
    public Path file() {
        return file;
    }

    /** The tensor names, sorted (unmodifiable). */
    public Set<String> names() {
        return names;
    }

    /** Whether the file holds a tensor of this name. */
    public boolean has(String name) {
        return header.tensors().containsKey(name);
    }

    /**
     * The checked header entry of a tensor.
     *
     * @throws WeightsException naming the file and the tensor if there is none of that name
     */
    public TensorInfo info(String name) {
        TensorInfo t = header.tensors().get(name);
        if (t == null) {
            throw TensorLookup.missing(file, name, names);
        }
        return t;
    }

    /** The header's {@code __metadata__} (sorted, unmodifiable; empty if there is none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The file offset where the data section starts: 8 plus the header length. */
    public long dataStart() {
        return header.dataStart();
    }

    /**
     * A floating-point tensor's elements as floats, row-major: F32 exactly, F16 and BF16 widened
     * exactly, F64 rounded to nearest.
     *
     * @throws WeightsException naming the file and the tensor if it is absent, of another dtype,
     *     has more than {@link #MAX_ELEMENTS} elements, or cannot be read
     */
    public float[] floats(String name) {
        return floats(name, MAP_CHUNK_BYTES);
    }

    /** {@link #floats(String)}, mapping at most {@code chunkBytes} at a time (small in tests). */
    float[] floats(String name, long chunkBytes) {
        TensorInfo t = info(name);
        DType dtype = t.dtype();
        if (!dtype.isFloatingPoint()) {
            throw WeightsException.tensor(
                    file,
                    name,
                    "is " + dtype + "; floats() converts F32, F16, BF16 and F64"
                            + (dtype.isInteger() ? " (longs() reads integers)" : ""));
        }
        float[] out = new float[arrayLength(t)];
        read(t, chunkBytes, (buf, first, count) -> {
            switch (dtype) {
                case F32 -> buf.asFloatBuffer().get(out, first, count);
                case F64 -> {
                    for (int i = 0; i < count; i++) {
                        out[first + i] = (float) buf.getDouble(i * 8);
                    }
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        out[first + i] = Float16.toFloat(buf.getShort(i * 2));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        out[first + i] = BFloat16.toFloat(buf.getShort(i * 2));
                    }
                }
                default -> throw new AssertionError(dtype);
            }
        });
        return out;
    }

    /**
     * An integer or BOOL tensor's elements as longs, row-major (BOOL as 0 and 1, any non-zero
     * byte being true). Position ids and similar buffers of Hugging Face checkpoints are I64.
     *
     * @throws WeightsException naming the file and the tensor if it is absent, not an integer
     *     type, has more than {@link #MAX_ELEMENTS} elements, holds a U64 above
     *     {@link Long#MAX_VALUE}, or cannot be read
     */
    public long[] longs(String name) {
        return longs(name, MAP_CHUNK_BYTES);
    }

    /** {@link #longs(String)}, mapping at most {@code chunkBytes} at a time (small in tests). */
    long[] longs(String name, long chunkBytes) {
        TensorInfo t = info(name);
        DType dtype = t.dtype();
        if (!dtype.isInteger()) {
            throw WeightsException.tensor(
                    file,
                    name,
                    "is " + dtype + "; longs() converts the integer types and BOOL"
                            + (dtype.isFloatingPoint() ? " (floats() reads floating point)" : ""));
        }
        long[] out = new long[arrayLength(t)];
        read(t, chunkBytes, (buf, first, count) -> {
            for (int i = 0; i < count; i++) {
                out[first + i] = switch (dtype) {
                    case I64 -> buf.getLong(i * 8);
                    case U64 -> {
                        long v = buf.getLong(i * 8);
                        if (v < 0) {
                            throw WeightsException.tensor(
                                    file,
                                    name,
                                    "U64 element " + (first + i) + " is " + Long.toUnsignedString(v)
                                            + ", more than a long holds");
                        }
                        yield v;
                    }
                    case I32 -> buf.getInt(i * 4);
                    case U32 -> Integer.toUnsignedLong(buf.getInt(i * 4));
                    case I16 -> buf.getShort(i * 2);
                    case U16 -> Short.toUnsignedLong(buf.getShort(i * 2));
                    case I8 -> buf.get(i);
                    case U8 -> Byte.toUnsignedLong(buf.get(i));
                    case BOOL -> buf.get(i) != 0 ? 1 : 0;
                    default -> throw new AssertionError(dtype);
                };
            }
        });
        return out;
    }

    /** Closes the file. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw WeightsException.in(file, "cannot close: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "SafeTensors[" + file + ", " + names.size() + " tensors]";
    }

    private int arrayLength(TensorInfo t) {
        long n = t.elements();
        if (n > MAX_ELEMENTS) {
            throw WeightsException.tensor(
                    file,
                    t.name(),
                    "shape " + Arrays.toString(t.shape()) + " has " + n + " elements, more than a Java array holds ("
                            + MAX_ELEMENTS + ")");
        }
        return (int) n;
    }

    /** Receives one mapped piece of a tensor: {@code count} elements, the first being element {@code first}. */
    @FunctionalInterface
    private interface Piece {
        void accept(ByteBuffer littleEndian, int first, int count);
    }

    /**
     * Maps the tensor's bytes in pieces of at most {@code chunkBytes} (rounded down to whole
     * elements) and hands each to {@code piece}, in order.
     */
    private void read(TensorInfo t, long chunkBytes, Piece piece) {
        int width = t.dtype().bytes();
        long step = Math.max(width, chunkBytes - chunkBytes % width);
        long start = header.dataStart() + t.begin();
        long end = header.dataStart() + t.end();
        try {
            if (channel.size() < end) {
                throw WeightsException.tensor(
                        file,
                        t.name(),
                        "the file is now " + channel.size() + " bytes, too short for data_offsets [" + t.begin() + ", "
                                + t.end() + "]: it changed after it was opened");
            }
            for (long pos = start; pos < end; pos += step) {
                long len = Math.min(step, end - pos);
                ByteBuffer buf =
                        channel.map(FileChannel.MapMode.READ_ONLY, pos, len).order(ByteOrder.LITTLE_ENDIAN);
                piece.accept(buf, (int) ((pos - start) / width), (int) (len / width));
            }
        } catch (ClosedChannelException e) {
            throw WeightsException.tensor(file, t.name(), "cannot read: the file was closed", e);
        } catch (IOException e) {
            throw WeightsException.tensor(file, t.name(), "cannot read: " + e, e);
        } catch (InternalError e) {
            // A mapped page that vanished (the file was truncated while mapped) faults as InternalError.
            throw WeightsException.tensor(file, t.name(), "cannot read: the file changed while reading: " + e, e);
        }
    }

    private static void closeQuietly(FileChannel ch, Throwable failure) {
        try {
            ch.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
