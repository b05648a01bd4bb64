package dev.attnc.compiler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code attnc --version}, from {@code version.properties} (filtered by Maven at build time). */
public final class VersionProvider implements IVersionProvider {

    /** The version this build was made from, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version", "");
        if (v.isEmpty() || v.contains("${")) {
            throw new IllegalStateException("version.properties was not filtered: '" + v + "'");
        }
        return v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "attnc " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
