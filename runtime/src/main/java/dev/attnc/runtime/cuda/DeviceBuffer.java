package dev.attnc.runtime.cuda;

import java.util.Objects;
import java.util.function.Consumer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A block of device memory of a fixed size, named for error messages (e.g. {@code "q"}).
 *
 * <p>Guarantees: an upload or download copies exactly {@link #bytes()} bytes and must be given
 * a host array of exactly that size, else an {@link IllegalArgumentException} names the
 * buffer, the host array and both sizes; copies are synchronous (the data are on the device,
 * or back on the host, when the call returns); {@link #close()} frees the memory once and is
 * idempotent; any use after it throws {@link IllegalStateException}. Creating a buffer without
 * a device throws {@link CudaUnavailableException}. Not thread-safe: one owner at a time.
 */
public final class DeviceBuffer implements AutoCloseable {

    private final String name;
    private final long bytes;
    private CUdeviceptr pointer;

    private DeviceBuffer(String name, long bytes, CUdeviceptr pointer) {
        this.name = name;
        this.bytes = bytes;
        this.pointer = pointer;
    }

    /** Allocates {@code bytes} bytes (contents undefined). */
    public static DeviceBuffer allocate(String name, long bytes) {
        Objects.requireNonNull(name, "name");
        if (bytes < 1) {
            throw new IllegalArgumentException(name + ": device buffer size must be >= 1 byte, got " + bytes);
        }
        CudaDriver.context();
        return new DeviceBuffer(name, bytes, CudaDriver.Api.alloc(bytes));
    }

    /** Allocates a buffer holding {@code data}. */
    public static DeviceBuffer of(String name, float[] data) {
        return filled(name, 4L * data.length, b -> b.upload(data));
    }

    /** Allocates a buffer holding {@code data}. */
    public static DeviceBuffer of(String name, int[] data) {
        return filled(name, 4L * data.length, b -> b.upload(data));
    }

    /** Allocates a buffer holding {@code data}. */
    public static DeviceBuffer of(String name, byte[] data) {
        return filled(name, data.length, b -> b.upload(data));
    }

    /** Allocates a buffer holding {@code data} (fp16 or bf16 bits). */
    public static DeviceBuffer of(String name, short[] data) {
        return filled(name, 2L * data.length, b -> b.upload(data));
    }

    /** A new buffer of {@code bytes} bytes after {@code upload}; freed again when the upload fails. */
    private static DeviceBuffer filled(String name, long bytes, Consumer<DeviceBuffer> upload) {
        DeviceBuffer b = allocate(name, bytes);
        try {
            upload.accept(b);
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Size in bytes. */
    public long bytes() {
        return bytes;
    }

    public void upload(float[] src) {
        toDevice("float", src.length, 4, Pointer.to(src));
    }

    public void upload(int[] src) {
        toDevice("int", src.length, 4, Pointer.to(src));
    }

    public void upload(byte[] src) {
        toDevice("byte", src.length, 1, Pointer.to(src));
    }

    public void upload(short[] src) {
        toDevice("short", src.length, 2, Pointer.to(src));
    }

    public void download(float[] dst) {
        toHost("float", dst.length, 4, Pointer.to(dst));
    }

    public void download(int[] dst) {
        toHost("int", dst.length, 4, Pointer.to(dst));
    }

    public void download(byte[] dst) {
        toHost("byte", dst.length, 1, Pointer.to(dst));
    }

    public void download(short[] dst) {
        toHost("short", dst.length, 2, Pointer.to(dst));
    }

    private void toDevice(String type, int length, int elementBytes, Pointer src) {
        check("upload", type, length, elementBytes);
        CudaDriver.Api.toDevice(pointer, src, bytes);
    }

    private void toHost(String type, int length, int elementBytes, Pointer dst) {
        check("download", type, length, elementBytes);
        CudaDriver.Api.toHost(dst, pointer, bytes);
    }

    /** Sets every byte to 0. */
    public void zero() {
        live();
        CudaDriver.context();
        CudaDriver.Api.zero(pointer, bytes);
    }

    /**
     * Sets every 32-bit word to 0 with {@code cuMemsetD32} (the fastest fill for word buffers).
     *
     * @throws IllegalStateException when the size is not a multiple of 4 bytes
     */
    public void zeroWords() {
        live();
        if (bytes % 4 != 0) {
            throw new IllegalStateException(
                    name + ": zeroWords needs a size that is a multiple of 4 bytes, got " + bytes);
        }
        CudaDriver.context();
        CudaDriver.Api.zeroWords(pointer, bytes / 4);
    }

    /** The device pointer, for kernel arguments. */
    CUdeviceptr pointer() {
        return live();
    }

    private CUdeviceptr live() {
        if (pointer == null) {
            throw new IllegalStateException(name + ": device buffer is closed");
        }
        return pointer;
    }

    private void check(String op, String type, int length, int elementBytes) {
        live();
        checkSize(name, bytes, op, type, length, elementBytes);
        CudaDriver.context();
    }

    /** The size check of an upload or download, with the message that names both sizes. */
    static void checkSize(String name, long bufferBytes, String op, String type, long length, int elementBytes) {
        long host = length * elementBytes;
        if (host != bufferBytes) {
            throw new IllegalArgumentException(name + ": " + op + " of " + type + "[" + length + "] (" + host
                    + " bytes) " + (op.equals("upload") ? "into" : "from") + " a device buffer of " + bufferBytes
                    + " bytes; sizes must match");
        }
    }

    /** Frees the device memory (once; later calls do nothing). */
    @Override
    public void close() {
        CUdeviceptr p = pointer;
        if (p != null) {
            pointer = null;
            CudaDriver.context();
            CudaDriver.Api.free(p);
        }
    }

    @Override
    public String toString() {
        return name + " (" + bytes + " bytes" + (pointer == null ? ", closed" : "") + ")";
    }
}
