package dev.attnc.compiler.exec;

import dev.attnc.runtime.io.NpyArray;
import java.util.Arrays;

/**
 * One named input array: its shape and its data, float32, int32 or bool. Accessors check the
 * element type and the shape and say, naming the input, what was expected.
 */
record NamedArray(String name, NpyArray array) {

    int[] shape() {
        return array.shape();
    }

    String shapeText() {
        return Arrays.toString(array.shape());
    }

    int dims() {
        return array.shape().length;
    }

    float[] requireFloats() {
        if (array.dtype() != NpyArray.DType.FLOAT32) {
            throw new RunException("input " + name + ": expected float32 data, got " + typeName());
        }
        return array.floats();
    }

    int[] requireInts() {
        if (array.dtype() != NpyArray.DType.INT32) {
            throw new RunException("input " + name + ": expected int32 data, got " + typeName());
        }
        return array.ints();
    }

    /** A boolean mask: bool data, or int32 0/1. */
    boolean[] requireMask() {
        switch (array.dtype()) {
            case BOOL:
                return array.bools();
            case INT32:
                int[] ints = array.ints();
                boolean[] b = new boolean[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    if (ints[i] != 0 && ints[i] != 1) {
                        throw new RunException("input " + name + ": a mask holds 0 or 1, found " + ints[i]);
                    }
                    b[i] = ints[i] == 1;
                }
                return b;
            default:
                throw new RunException("input " + name + ": expected a bool (or int32 0/1) mask, got float32");
        }
    }

    /** Fails unless the shape is exactly {@code want}. */
    NamedArray requireShape(String what, int... want) {
        if (!Arrays.equals(array.shape(), want)) {
            throw new RunException("input " + name + ": expected shape " + Arrays.toString(want) + " (" + what
                    + "), got " + shapeText());
        }
        return this;
    }

    private String typeName() {
        return switch (array.dtype()) {
            case FLOAT32 -> "float32";
            case INT32 -> "int32";
            case BOOL -> "bool";
        };
    }

    /** {@code x} as a user wrote it: {@code 7} for a whole number, else {@code 7.5}. */
    static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
