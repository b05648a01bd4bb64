package dev.attnc.compiler.exec;

/**
 * How an error message names a run option or an input: the Java API by its name
 * ({@link #API}), the command line by its flag ({@code --heads}, {@code -i v=FILE.npy}). The
 * library's messages are written once; {@link RunException#message} and
 * {@link BackendException#message} spell them for their reader.
 */
public interface Spelling {

    /** The API's words: options by their {@link RunOptions} name, inputs as {@code input NAME}. */
    Spelling API = new Spelling() {
        @Override
        public String option(String name) {
            return name;
        }

        @Override
        public String input(String name) {
            return "input " + name;
        }
    };

    /** Run option {@code name}: {@code layout}, {@code heads}, {@code layer}, {@code dtype}, {@code schedule} or {@code backend}. */
    String option(String name);

    /** How the reader gives input {@code name} (one of {@link KernelInputs#NAMES}). */
    String input(String name);
}
