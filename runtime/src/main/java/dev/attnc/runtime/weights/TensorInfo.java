package dev.attnc.runtime.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header: its name, element type, shape (row-major,
 * outermost first; empty for a scalar) and byte range {@code [begin, end)} relative to the start
 * of the file's data section. A {@code TensorInfo} that {@link SafeTensors#open} returns has been
 * checked against its file: the range lies inside the data section and is exactly
 * {@code elements() * dtype.bytes()} long.
 *
 * <p>Immutable: the shape is copied in and out. Equality compares shapes element by element.
 *
 * @param name the tensor's name in the header
 * @param dtype the element type
 * @param shape the dimensions, each at least 0
 * @param begin the first byte, relative to the data section, at least 0
 * @param end one past the last byte, at least {@code begin}
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /**
     * @throws NullPointerException if name, dtype or shape is null
     * @throws IllegalArgumentException if a dimension is negative or the range is not {@code 0 <= begin <= end}
     */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            }
        }
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "': byte range [" + begin + ", " + end + ") is not 0 <= begin <= end");
        }
    }

    /** The dimensions (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /**
     * The product of the dimensions (1 for a scalar).
     *
     * @throws ArithmeticException if it does not fit a long (never for a tensor of an opened file)
     */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** {@code end - begin}. */
    public long byteSize() {
        return end - begin;
    }

    /**
     * The shape as ints, for Java arrays and kernels.
     *
     * @throws IllegalArgumentException naming the tensor and the shape if a dimension exceeds
     *     {@link Integer#MAX_VALUE}
     */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "': dimension " + i + " of shape "
                        + Arrays.toString(shape) + " does not fit an int");
            }
            s[i] = (int) shape[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
    }
}
