package dev.attnc.runtime;

import dev.attnc.runtime.kernel.PatternBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The generated kernels on the class path, found with {@link ServiceLoader}: the Maven plugin
 * registers every class it generates in {@code META-INF/services/dev.attnc.runtime.AttentionKernel}
 * (softmax patterns) or {@code …AdditiveKernel} (Fastformer patterns). Looked up by pattern name.
 * {@link #binding} finds a softmax pattern's host side without instantiating its kernel, so a
 * GPU host needs no Vector API.
 */
public final class Kernels {

    private Kernels() {}

    /** Every softmax kernel on the class path of {@code loader}, by pattern name. */
    public static List<AttentionKernel> attention(ClassLoader loader) {
        return byName(ServiceLoader.load(AttentionKernel.class, loader), AttentionKernel::name);
    }

    /** Every additive kernel on the class path of {@code loader}, by pattern name. */
    public static List<AdditiveKernel> additive(ClassLoader loader) {
        return byName(ServiceLoader.load(AdditiveKernel.class, loader), AdditiveKernel::name);
    }

    /** The first of {@code found} with each name, ordered by name. */
    private static <K> List<K> byName(Iterable<K> found, Function<K, String> name) {
        TreeMap<String, K> byName = new TreeMap<>();
        for (K k : found) {
            byName.putIfAbsent(name.apply(k), k);
        }
        return new ArrayList<>(byName.values());
    }

    /** The softmax kernel of {@code pattern}; the error lists the patterns that are there. */
    public static AttentionKernel attention(String pattern) {
        return named(attention(contextLoader()), AttentionKernel::name, "softmax", pattern);
    }

    /** The additive kernel of {@code pattern}; the error lists the patterns that are there. */
    public static AdditiveKernel additive(String pattern) {
        return named(additive(contextLoader()), AdditiveKernel::name, "additive", pattern);
    }

    private static ClassLoader contextLoader() {
        return Thread.currentThread().getContextClassLoader();
    }

    /** The one of {@code all} named {@code pattern}; the error lists the patterns that are there. */
    private static <K> K named(List<K> all, Function<K, String> name, String kind, String pattern) {
        for (K k : all) {
            if (name.apply(k).equals(pattern)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no generated " + kind + " kernel '" + pattern
                + "' on the class path; found " + all.stream().map(name).toList()
                + " (generate it with the attnc Maven plugin or attnc compile)");
    }

    /**
     * The host side of every generated softmax kernel registered on the class path of
     * {@code loader} (its {@code <Name>Kernel.Binding}), by pattern name. The registrations are
     * read as text and no kernel class is loaded ({@link ServiceLoader} would link them, and
     * with them the Vector API): neither javac nor {@code jdk.incubator.vector} is needed.
     */
    public static List<PatternBinding> bindings(ClassLoader loader) {
        TreeMap<String, PatternBinding> byName = new TreeMap<>();
        for (String kernel : registered(loader, AttentionKernel.class)) {
            Class<?> nested;
            try {
                nested = Class.forName(kernel + "$Binding", true, loader);
            } catch (ClassNotFoundException e) {
                continue; // not a generated softmax kernel
            }
            if (!PatternBinding.class.isAssignableFrom(nested)) {
                continue;
            }
            try {
                PatternBinding b = (PatternBinding) nested.getConstructor().newInstance();
                byName.putIfAbsent(b.name(), b);
            } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
                throw new IllegalStateException("cannot instantiate " + nested.getName() + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(
                        "cannot instantiate " + nested.getName() + ": " + e.getCause(), e.getCause());
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** The class names in every {@code META-INF/services/<service>} file of {@code loader}, in order. */
    private static Set<String> registered(ClassLoader loader, Class<?> service) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Enumeration<URL> files = loader.getResources("META-INF/services/" + service.getName());
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        int hash = line.indexOf('#');
                        String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the registrations of " + service.getName(), e);
        }
        return names;
    }

    /**
     * The host side of softmax pattern {@code pattern} (for {@code CudaAttentionKernel}), as
     * {@link #bindings}; the error lists the patterns that are there.
     */
    public static PatternBinding binding(String pattern) {
        return named(bindings(contextLoader()), PatternBinding::name, "softmax", pattern);
    }
}
