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
     * Fails unless {@code path} can be an output file: its directory exists and it is not a
     * directory itself. Checked before a run's work, the message names the directory, as
     * {@code show --svg}'s does, not a temporary file in it.
     */
    static void checkOutput(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError("cannot write " + path + ": directory " + parent
                    + (Files.exists(parent) ? " is not a directory" : " does not exist"));
        }
        if (Files.isDirectory(path)) {
            throw new UserError("cannot write " + path + ": it is a directory");
        }
    }

    static void write(Path path, NpyArray array) {
        checkOutput(path);
        try {
            Npy.write(path, array);
        } catch (IOException e) {
            throw new UserError("cannot write " + path + ": " + e.getMessage());
        }
    }
}
