package dev.attnc.compiler.cli;

import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
import dev.attnc.runtime.io.NpyFormatException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@code attnc run}'s inputs and writes its output as NumPy {@code .npy} files. */
final class ArrayFiles {

    private ArrayFiles() {}

    static InputArray read(String name, Path path) {
        NpyArray a;
        try {
            a = Npy.read(path);
        } catch (NoSuchFileException e) {
            throw new UserError("input " + name + ": no such file: " + path);
        } catch (NpyFormatException e) {
            throw new UserError("input " + name + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("input " + name + ": cannot read " + path + ": " + e.getMessage());
        }
        return switch (a.dtype()) {
            case FLOAT32 -> new InputArray(name, a.shape(), a.floats(), null, null);
            case INT32 -> new InputArray(name, a.shape(), null, a.ints(), null);
            case BOOL -> new InputArray(name, a.shape(), null, null, a.bools());
        };
    }

    static void write(Path path, float[] data, int[] shape) {
        try {
            Npy.write(path, NpyArray.ofFloats(data, shape));
        } catch (IOException e) {
            throw new UserError("cannot write " + path + ": " + e.getMessage());
        }
    }
}
