package dev.attnc.compiler.codegen;

/** Where {@link Codegen} reports: the build tool's log (Maven's {@code Log} in the plugin), or the terminal. */
public interface CodegenLog {
    void info(String message);

    void warn(String message);

    void error(String message);

    /**
     * One line per generated kernel or fatbin written ({@code wrote <file> (…)}): what
     * {@code attnc compile} prints; a build tool may ignore it (the default).
     */
    default void progress(String message) {}
}
