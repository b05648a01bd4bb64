package dev.attnc.runtime.io;

import java.util.Arrays;

/**
 * An array read from or written to a NumPy {@code .npy} file: its shape (C order) and its
 * elements as float32, int32 or bool (exactly one of the three is set). The element array is
 * shared, not copied (arrays of attention inputs are large): callers that change it change
 * the value.
 */
public final class NpyArray {

    /** The element types attnc reads and writes. */
    public enum DType {
        FLOAT32,
        INT32,
        BOOL
    }

    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final int[] ints;
    private final boolean[] bools;

    private NpyArray(DType dtype, int[] shape, float[] floats, int[] ints, boolean[] bools) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.ints = ints;
        this.bools = bools;
    }

    public static NpyArray ofFloats(float[] data, int... shape) {
        return new NpyArray(DType.FLOAT32, check(shape, data.length), data, null, null);
    }

    public static NpyArray ofInts(int[] data, int... shape) {
        return new NpyArray(DType.INT32, check(shape, data.length), null, data, null);
    }

    public static NpyArray ofBools(boolean[] data, int... shape) {
        return new NpyArray(DType.BOOL, check(shape, data.length), null, null, data);
    }

    private static int[] check(int[] shape, int length) {
        long size = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= s;
        }
        if (size != length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + size + " elements, data has " + length);
        }
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    /** The number of elements. */
    public int length() {
        return floats != null ? floats.length : ints != null ? ints.length : bools.length;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The float32 elements; fails for other dtypes. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("array is " + dtype + ", not FLOAT32");
        }
        return floats;
    }

    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("array is " + dtype + ", not INT32");
        }
        return ints;
    }

    public boolean[] bools() {
        if (bools == null) {
            throw new IllegalStateException("array is " + dtype + ", not BOOL");
        }
        return bools;
    }
}
