package dev.attnc.compiler.codegen;

import dev.attnc.compiler.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The stale check of an incremental {@link Codegen} run: a properties file holding what the last
 * run read (a key: the request's fingerprint and every spec's path and bytes) and wrote.
 */
final class CodegenState {

    /**
     * The generator's own build: a SNAPSHOT version says nothing about the emitter inside it, so
     * the key also holds the size and time of the jar (or classes directory) this class came
     * from; a rebuilt compiler then regenerates instead of keeping outputs of the old one.
     */
    private static final String GENERATOR = generatorStamp();

    private CodegenState() {}

    private static String generatorStamp() {
        try {
            CodeSource source = CodegenState.class.getProtectionDomain().getCodeSource();
            Path where = Path.of(source.getLocation().toURI());
            Path file = Files.isDirectory(where)
                    ? where.resolve(
                            CodegenState.class.getName().replace('.', '/').replace("CodegenState", "Codegen")
                                    + ".class")
                    : where;
            return "\ngenerator " + Files.size(file) + " "
                    + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return "\ngenerator unknown";
        }
    }

    /** The key of a run of {@code r} over {@code specs}. */
    static String key(CodegenRequest r, List<Path> specs) throws CodegenException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(r.fingerprint().getBytes(StandardCharsets.UTF_8));
            md.update(GENERATOR.getBytes(StandardCharsets.UTF_8));
            for (Path s : specs) {
                md.update(("\n" + r.sourceDir().relativize(s) + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(s));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new CodegenException("cannot read specs: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outputs of the last run if its key is {@code key}, else null. */
    static List<Path> read(Path file, String key) {
        Properties p = load(file);
        if (p == null || !key.equals(p.getProperty("key"))) {
            return null;
        }
        return outputs(p);
    }

    /** The outputs of the last run, whatever its key (none when there was no run). */
    static List<Path> readOutputs(Path file) {
        Properties p = load(file);
        return p == null ? List.of() : outputs(p);
    }

    private static List<Path> outputs(Properties p) {
        List<Path> out = new ArrayList<>();
        int count = Integer.parseInt(p.getProperty("outputs", "0"));
        for (int x = 0; x < count; x++) {
            String v = p.getProperty("output." + x);
            if (v != null) {
                out.add(Path.of(v));
            }
        }
        return out;
    }

    private static Properties load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            return p;
        } catch (IOException | IllegalArgumentException e) {
            return null; // a damaged state file: regenerate
        }
    }

    static void write(Path file, String key, List<Path> outputs) throws CodegenException {
        StringBuilder sb = new StringBuilder("# attnc code generation state: what the last run read (key) and wrote\n");
        sb.append("key=").append(key).append('\n');
        sb.append("outputs=").append(outputs.size()).append('\n');
        for (int x = 0; x < outputs.size(); x++) {
            sb.append("output.")
                    .append(x)
                    .append('=')
                    .append(outputs.get(x)
                            .toAbsolutePath()
                            .normalize()
                            .toString()
                            .replace("\\", "\\\\"))
                    .append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFile.write(file, w -> w.write(sb.toString()));
        } catch (IOException e) {
            throw new CodegenException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
