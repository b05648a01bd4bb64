package dev.attnc.compiler.cli;

import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
import dev.attnc.runtime.io.NpyFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@code attnc run}'s inputs and writes its output as NumPy {@code .npy} files. */
final class ArrayFiles {

    private ArrayFiles() {}

    static NpyArray read(String name, Path path) {
        try {
            return Npy.read(path);
        } catch (NoSuchFileException e) {
            throw new UserError("input " + name + ": no such file: " + path);
        } catch (NpyFormatException e) {
            throw new UserError("input " + name + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("input " + name + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * Fails unless {@code path}'s directory exists, so that a run stops before its work, with a
     * message naming the directory rather than a temporary file in it.
     */
    static void checkDirectory(String what, Path path) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError("cannot write " + what + " " + path + ": "
                    + (Files.exists(parent) ? parent + " is not a directory" : "no such directory: " + parent));
        }
    }

    static void write(Path path, NpyArray array) {
        checkDirectory("output", path);
        try {
            Npy.write(path, array);
        } catch (IOException e) {
            throw new UserError("cannot write " + path + ": " + e.getMessage());
        }
    }
}
