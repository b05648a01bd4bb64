package dev.attnc.compiler.codegen;

/** Where {@link Codegen} reports: the build tool's log (Maven's {@code Log} in the plugin). */
public interface CodegenLog {
    void info(String message);

    void warn(String message);

    void error(String message);
}
