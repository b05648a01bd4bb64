package dev.attnc.compiler.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the table of contents of an nvcc {@code .fatbin}, enough to check what a build put in it.
 * NVIDIA does not document the format; the layout here was read off nvcc 13.0 output
 * (all fields little-endian):
 * <pre>
 * file header  (16 bytes): u32 magic 0xBA55ED50, u16 version, u16 header size, u64 size of the entries
 * entry header (header-size bytes): u16 kind (1 = PTX, 2 = ELF cubin), u16 version, u32 header size,
 *              u64 payload size, u32, u32, u32 code version, u32 SM number (80 for sm_80), ...
 * </pre>
 * followed by the payload (PTX is zstd-compressed by nvcc 13). Guarantees: {@link #entries} either
 * returns every entry within the stated size or throws; it never reads past the array.
 */
public final class Fatbin {

    /** The first four bytes of a fatbin, read as a little-endian int. */
    public static final int MAGIC = 0xBA55ED50;

    /** What an entry holds. */
    public enum Kind {
        PTX,
        CUBIN,
        OTHER
    }

    /** One entry: its kind, its SM number and where its payload lies in the file. */
    public record Entry(Kind kind, int sm, int payloadOffset, long payloadSize) {}

    private Fatbin() {}

    /** True when {@code bytes} start with {@link #MAGIC} (little-endian). */
    public static boolean hasMagic(byte[] bytes) {
        return bytes.length >= 4
                && ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == MAGIC;
    }

    /** @throws IllegalArgumentException if the bytes are not a fatbin this reader understands */
    public static List<Entry> entries(byte[] bytes) {
        if (!hasMagic(bytes) || bytes.length < 16) {
            throw new IllegalArgumentException("not a fatbin (no 0xBA55ED50 magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long bodySize = b.getLong(8);
        if (headerSize < 16 || headerSize + bodySize > bytes.length) {
            throw new IllegalArgumentException(
                    "fatbin header says " + (headerSize + bodySize) + " bytes, file has " + bytes.length);
        }
        List<Entry> out = new ArrayList<>();
        long end = headerSize + bodySize;
        long off = headerSize;
        while (off < end) {
            if (off + 32 > end) {
                throw new IllegalArgumentException("truncated fatbin entry at offset " + off);
            }
            int at = (int) off;
            int kind = Short.toUnsignedInt(b.getShort(at));
            long entryHeader = Integer.toUnsignedLong(b.getInt(at + 4));
            long payload = b.getLong(at + 8);
            int sm = b.getInt(at + 28);
            if (entryHeader < 32 || payload < 0 || off + entryHeader + payload > end) {
                throw new IllegalArgumentException("bad fatbin entry at offset " + off);
            }
            Kind k = kind == 1 ? Kind.PTX : kind == 2 ? Kind.CUBIN : Kind.OTHER;
            out.add(new Entry(k, sm, (int) (off + entryHeader), payload));
            off += entryHeader + payload;
        }
        return List.copyOf(out);
    }
}
