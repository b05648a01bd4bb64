package dev.attnc.runtime.io;

import dev.attnc.runtime.weights.Float16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0): float32, int32
 * and bool in C order, either byte order; float64 and int64 are read by conversion (int64
 * with a range check). Writing produces exactly what {@code numpy.save} writes for the same
 * array (version 1.0, little-endian, header padded so the data starts at a multiple of 64),
 * atomically: a failed write leaves no file behind.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static NpyArray read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName() == null
                ? file.toString()
                : file.getFileName().toString();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10) {
            throw new NpyFormatException(name + ": not a .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new NpyFormatException(name + ": not a .npy file (no \\x93NUMPY magic)");
            }
        }
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NpyFormatException(name + ": truncated header");
            }
            long len = Integer.toUnsignedLong(buf.getInt(8));
            if (len > bytes.length) {
                throw new NpyFormatException(name + ": truncated header");
            }
            headerLen = (int) len;
            start = 12;
        } else {
            throw new NpyFormatException(
                    name + ": .npy format version " + major + "." + bytes[7] + " is not supported");
        }
        if (start + headerLen > bytes.length) {
            throw new NpyFormatException(name + ": truncated header");
        }
        String header =
                new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        if (group(ORDER, header, name, "fortran_order").equals("True")) {
            throw new NpyFormatException(
                    name + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }
        int[] shape = parseShape(group(SHAPE, header, name, "shape"), name);
        long count = elements(shape, name);
        if (count > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(name + ": " + count + " elements are more than a Java array holds");
        }
        int n = (int) count;
        ByteBuffer data = ByteBuffer.wrap(bytes, start + headerLen, bytes.length - start - headerLen)
                .slice();
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        data.order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        String type = descr.length() > 1 ? descr.substring(1) : descr;
        int width = switch (type) {
            case "f2" -> 2;
            case "f4", "i4" -> 4;
            case "f8", "i8" -> 8;
            case "b1" -> 1;
            default ->
                throw new NpyFormatException(
                        name + ": dtype '" + descr
                                + "' is not supported (expected float32, int32 or bool; float16, float64 and int64 are converted)");
        };
        if ((long) n * width > data.remaining()) {
            throw new NpyFormatException(name + ": truncated data: shape " + Arrays.toString(shape) + " needs "
                    + (long) n * width + " bytes, the file has " + data.remaining());
        }
        switch (type) {
            case "f4": {
                float[] f = new float[n];
                data.asFloatBuffer().get(f);
                return NpyArray.ofFloats(f, shape);
            }
            case "f2": {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float16.toFloat(data.getShort(i * 2));
                }
                return NpyArray.ofFloats(f, shape);
            }
            case "f8": {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) data.getDouble(i * 8);
                }
                return NpyArray.ofFloats(f, shape);
            }
            case "i4": {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                return NpyArray.ofInts(v, shape);
            }
            case "i8": {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    long x = data.getLong(i * 8);
                    if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                        throw new NpyFormatException(
                                name + ": int64 value " + x + " at index " + i + " does not fit int32");
                    }
                    v[i] = (int) x;
                }
                return NpyArray.ofInts(v, shape);
            }
            default: {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get(i) != 0;
                }
                return NpyArray.ofBools(v, shape);
            }
        }
    }

    /** The element count of a shape, refusing counts that overflow instead of wrapping. */
    private static long elements(int[] shape, String name) throws NpyFormatException {
        long count = 1;
        for (int s : shape) {
            try {
                count = Math.multiplyExact(count, (long) s);
            } catch (ArithmeticException e) {
                throw new NpyFormatException(
                        name + ": shape " + Arrays.toString(shape) + " has more elements than fit in 64 bits");
            }
        }
        return count;
    }

    private static String group(Pattern p, String header, String name, String key) throws NpyFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException(name + ": malformed header, no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String name) throws NpyFormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim().replaceFirst("L$", "");
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                dims.add((int) v);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(name + ": malformed shape (" + text + ")");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    public static void write(Path file, NpyArray a) throws IOException {
        String descr;
        int width;
        switch (a.dtype()) {
            case FLOAT32 -> {
                descr = "<f4";
                width = 4;
            }
            case INT32 -> {
                descr = "<i4";
                width = 4;
            }
            default -> {
                descr = "|b1";
                width = 1;
            }
        }
        int[] shape = a.shape();
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(i > 0 ? ", " : "").append(shape[i]);
        }
        sh.append(shape.length == 1 ? ",)" : ")");
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, sh);
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        long size = 10L + header.length() + (long) a.length() * width;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": " + size + " bytes are more than one .npy write supports (2 GiB)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        switch (a.dtype()) {
            case FLOAT32 -> {
                for (float f : a.floats()) {
                    out.putFloat(f);
                }
            }
            case INT32 -> {
                for (int v : a.ints()) {
                    out.putInt(v);
                }
            }
            default -> {
                for (boolean b : a.bools()) {
                    out.put((byte) (b ? 1 : 0));
                }
            }
        }
        writeAtomically(file, out.array());
    }

    /**
     * Writes to a fresh file beside the target, then moves it over the target. The temporary
     * file is created with the default permissions (the umask), as the target would be; not
     * with {@code createTempFile}'s owner-only ones.
     */
    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
