package dev.attnc.runtime.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * A kernel image (an nvcc fatbin or cubin, or PTX text) and, once a function is asked for, the
 * driver module loaded from it with {@code cuModuleLoadData}.
 *
 * <p>Modules are shared process-wide: {@link #of}, {@link #ofPtx} and {@link #fromResource}
 * return the same instance for the same name and content (keyed by name and SHA-256 of the
 * image, as TornadoVM caches kernels), so an image is loaded into the driver at most once and
 * its functions are looked up once. Making a module needs no device: the image is read (a
 * missing resource is reported by path) and the driver is first touched by {@link #function}
 * or {@link #load}, which throw {@link CudaUnavailableException} without one.
 *
 * <p>{@link #close()} unloads the driver module and drops it from the cache; the instance is
 * then unusable ({@link IllegalStateException}) and the next {@code of} loads afresh. Since
 * instances are shared, close only what no one else uses (tests, shutdown). Thread-safe.
 */
public final class CudaModule implements AutoCloseable {

    /** Where the build puts the fatbin of a compiled pattern. */
    public static final String RESOURCE_DIR = "/dev/attnc/generated/cuda/";

    private static final Map<Key, CudaModule> CACHE = new ConcurrentHashMap<>();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern PTX_ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final Pattern CUBIN_TEXT = Pattern.compile("\\.text\\.([A-Za-z_$][A-Za-z0-9_$]*)");

    private record Key(String name, String sha256) {}

    private final String name;
    private final String source;
    private final byte[] image;
    private final String sha256;
    private final Map<String, CudaFunction> functions = new HashMap<>();
    private CUmodule module;
    private boolean closed;

    private CudaModule(String name, String source, byte[] image, String sha256) {
        this.name = name;
        this.source = source;
        this.image = image;
        this.sha256 = sha256;
    }

    /**
     * The module of a kernel image: fatbin or cubin bytes as nvcc wrote them, or PTX text
     * (a terminating NUL is added when missing, as {@code cuModuleLoadData} needs one).
     */
    public static CudaModule of(String name, byte[] image) {
        return cached(name, "kernel image '" + name + "'", image);
    }

    /** The module of PTX text. */
    public static CudaModule ofPtx(String name, String ptx) {
        return of(name, ptx.getBytes(StandardCharsets.UTF_8));
    }

    /** The module of {@code /dev/attnc/generated/cuda/<name>.fatbin} on the class path of this library. */
    public static CudaModule fromResource(String name) {
        return fromResource(name, CudaModule.class.getClassLoader());
    }

    /** The module of {@code /dev/attnc/generated/cuda/<name>.fatbin} as {@code loader} finds it. */
    public static CudaModule fromResource(String name, ClassLoader loader) {
        checkName(name);
        String path = RESOURCE_DIR + name + ".fatbin";
        byte[] bytes;
        try (InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(path.substring(1))
                : loader.getResourceAsStream(path.substring(1))) {
            if (in == null) {
                throw new IllegalArgumentException("kernel image " + path + " is not on the class path: pattern '"
                        + name + "' was not compiled for the CUDA target (or its fatbin was not packaged)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("kernel image " + path + " could not be read", e);
        }
        return cached(name, "kernel image " + path, bytes);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "kernel image name '" + name + "': expected letters, digits, '_', '.', '-'");
        }
    }

    private static CudaModule cached(String name, String source, byte[] image) {
        checkName(name);
        if (image.length == 0) {
            throw new IllegalArgumentException(source + " is empty");
        }
        byte[] data = isBinary(image) || image[image.length - 1] == 0
                ? image.clone()
                : Arrays.copyOf(image, image.length + 1);
        String sha = sha256(data);
        return CACHE.computeIfAbsent(new Key(name, sha), k -> new CudaModule(name, source, data, sha));
    }

    /** Fatbin ({@code 0xBA55ED50}, little-endian) or ELF (cubin) magic; anything else is PTX text. */
    static boolean isBinary(byte[] image) {
        if (image.length < 4) {
            return false;
        }
        boolean fatbin = image[0] == 0x50 && image[1] == (byte) 0xED && image[2] == 0x55 && image[3] == (byte) 0xBA;
        boolean elf = image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F';
        return fatbin || elf;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public String name() {
        return name;
    }

    /** SHA-256 of the image as loaded (hex). */
    public String sha256() {
        return sha256;
    }

    /** Loads the image into the driver now (it is otherwise loaded by the first {@link #function}). */
    public synchronized CudaModule load() {
        loaded();
        return this;
    }

    /**
     * The kernel {@code entry} of this module (an {@code extern "C"} name).
     *
     * @throws IllegalArgumentException naming the function and the entry points found in the image
     * @throws CudaUnavailableException without a device
     */
    public synchronized CudaFunction function(String entry) {
        Objects.requireNonNull(entry, "entry");
        CudaFunction f = functions.get(entry);
        if (f != null) {
            return f;
        }
        CUmodule m = loaded();
        CUfunction handle = CudaDriver.Api.function(m, entry);
        if (handle == null) {
            List<String> found = entryPoints(image);
            throw new IllegalArgumentException(source + " has no function '" + entry + "'; "
                    + (found.isEmpty()
                            ? "no function names found in the image"
                            : "functions in the image: " + String.join(", ", found)));
        }
        f = new CudaFunction(this, entry, handle);
        functions.put(entry, f);
        return f;
    }

    private CUmodule loaded() {
        if (closed) {
            throw new IllegalStateException(source + ": module is closed");
        }
        CudaDriver.context();
        if (module == null) {
            module = CudaDriver.Api.loadModule(image, source);
        }
        return module;
    }

    /**
     * Kernel names readable in an image without the driver: {@code .entry} names of PTX text and
     * {@code .text.<name>} sections of cubins (fatbins keep those uncompressed; their embedded
     * PTX usually is compressed). Sorted, without duplicates.
     */
    static List<String> entryPoints(byte[] image) {
        String text = new String(image, StandardCharsets.ISO_8859_1);
        TreeSet<String> names = new TreeSet<>();
        for (Pattern p : List.of(PTX_ENTRY, CUBIN_TEXT)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return new ArrayList<>(names);
    }

    /** Unloads the driver module (if loaded) and removes this module from the cache. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CACHE.remove(new Key(name, sha256), this);
        functions.clear();
        CUmodule m = module;
        module = null;
        if (m != null) {
            CudaDriver.context();
            CudaDriver.Api.unloadModule(m);
        }
    }

    synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException(source + ": module is closed");
        }
    }

    @Override
    public String toString() {
        return source + " (sha256 " + sha256.substring(0, 12) + ")";
    }
}
