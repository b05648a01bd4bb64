package dev.attnc.compiler.cli;

import java.util.Arrays;

/**
 * One named input of {@code attnc run}: its shape and its data, float32, int32 or bool (exactly
 * one of the arrays is set). Accessors check the element type and say what was expected.
 */
record InputArray(String name, int[] shape, float[] floats, int[] ints, boolean[] bools) {

    String shapeText() {
        return Arrays.toString(shape);
    }

    int dims() {
        return shape.length;
    }

    float[] requireFloats() {
        if (floats == null) {
            throw new UserError("input " + name + ": expected float32 data, got " + (ints != null ? "int32" : "bool"));
        }
        return floats;
    }

    int[] requireInts() {
        if (ints == null) {
            throw new UserError("input " + name + ": expected int32 data, got " + (floats != null ? "float32" : "bool"));
        }
        return ints;
    }

    /** A boolean mask: bool data, or int32 0/1. */
    boolean[] requireMask() {
        if (bools != null) {
            return bools;
        }
        if (ints != null) {
            boolean[] b = new boolean[ints.length];
            for (int i = 0; i < ints.length; i++) {
                if (ints[i] != 0 && ints[i] != 1) {
                    throw new UserError("input " + name + ": a mask holds 0 or 1, found " + ints[i]);
                }
                b[i] = ints[i] == 1;
            }
            return b;
        }
        throw new UserError("input " + name + ": expected a bool (or int32 0/1) mask, got float32");
    }

    /** Fails unless the shape is exactly {@code want}. */
    InputArray requireShape(String what, int... want) {
        if (!Arrays.equals(shape, want)) {
            throw new UserError("input " + name + ": expected shape " + Arrays.toString(want) + " (" + what + "), got "
                    + shapeText());
        }
        return this;
    }
}
