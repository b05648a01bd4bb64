package dev.attnc.compiler.jit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Class files of generated kernels kept on disk between runs, so that running the same
 * pattern again (`attnc run`, `attnc encode`, {@link KernelCompiler}) skips javac, which is
 * most of the time of opening a kernel (about 1.5 s of a cold JVM).
 *
 * <p>An entry is keyed by the SHA-256 of the sources and of what their bytecode depends on:
 * the attnc build that compiles them (the location, size and modification time of the jar or
 * class directory holding this class) and the javac options. It is one zip file
 * ({@code <key>.zip}: class name to class bytes) written to a temporary file and moved into
 * place, so a reader never sees half an entry; an entry that cannot be read, or holds
 * something other than class files, is ignored and replaced. Failing to write is not an error
 * (the kernel is compiled every time, as without a cache).
 *
 * <p>The directory is the system property {@code attnc.cache.dir}, else
 * {@code $XDG_CACHE_HOME/attnc/classes}, else {@code ~/.cache/attnc/classes};
 * {@code -Dattnc.cache=off} turns the cache off.
 */
public final class ClassCache {

    private static final String SALT = "attnc-classes-1";

    private final Path directory;

    /** A cache in {@code directory}, created when the first entry is stored. */
    public ClassCache(Path directory) {
        this.directory = directory;
    }

    /** The user's cache as the class comment says, or empty when it is turned off. */
    public static Optional<ClassCache> standard() {
        if ("off".equalsIgnoreCase(System.getProperty("attnc.cache", ""))) {
            return Optional.empty();
        }
        String dir = System.getProperty("attnc.cache.dir");
        if (dir != null && !dir.isBlank()) {
            return Optional.of(new ClassCache(Path.of(dir)));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return Optional.of(new ClassCache(base.resolve("attnc").resolve("classes")));
    }

    /** Where the entries are. */
    public Path directory() {
        return directory;
    }

    /**
     * The key of {@code sources} (class name to text) compiled with {@code options}: hex
     * SHA-256 over both and the identity of this attnc build.
     */
    public static String key(Map<String, String> sources, Iterable<String> options) {
        MessageDigest sha = sha256();
        update(sha, SALT);
        update(sha, buildIdentity());
        for (String o : options) {
            update(sha, o);
        }
        new TreeMap<>(sources).forEach((name, text) -> {
            update(sha, name);
            update(sha, text);
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The class files stored under {@code key}, or empty (none, or unreadable). */
    public Optional<Map<String, byte[]>> load(String key) {
        Path file = entry(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, byte[]> classes = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] bytes = readAll(zip);
                if (!isClassFile(bytes)) {
                    return Optional.empty();
                }
                classes.put(e.getName(), bytes);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return classes.isEmpty() ? Optional.empty() : Optional.of(classes);
    }

    /**
     * Stores {@code classes} under {@code key}; best effort: returns false (and leaves no
     * partial file) when the directory cannot be written.
     */
    public boolean store(String key, Map<String, byte[]> classes) {
        Path tmp = null;
        try {
            Files.createDirectories(directory);
            tmp = Files.createTempFile(directory, key.substring(0, 16) + "-", ".tmp");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                for (Map.Entry<String, byte[]> c : new TreeMap<>(classes).entrySet()) {
                    zip.putNextEntry(new ZipEntry(c.getKey()));
                    zip.write(c.getValue());
                    zip.closeEntry();
                }
            }
            try {
                Files.move(tmp, entry(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, entry(key), StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Nothing more can be done; the name ends in .tmp and is never read.
                }
            }
            return false;
        }
    }

    private Path entry(String key) {
        return directory.resolve(key + ".zip");
    }

    private static boolean isClassFile(byte[] b) {
        return b.length > 4
                && (b[0] & 0xff) == 0xCA
                && (b[1] & 0xff) == 0xFE
                && (b[2] & 0xff) == 0xBA
                && (b[3] & 0xff) == 0xBE;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /** The jar or class directory this class was loaded from, with its size and time. */
    private static String buildIdentity() {
        CodeSource cs = ClassCache.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "unknown";
        }
        try {
            Path p = Path.of(cs.getLocation().toURI());
            return p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return cs.getLocation().toString();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (b.length >>> 24));
        sha.update((byte) (b.length >>> 16));
        sha.update((byte) (b.length >>> 8));
        sha.update((byte) b.length);
        sha.update(b);
    }
}
