package dev.attnc.runtime;

import dev.attnc.runtime.kernel.PatternBinding;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

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
        TreeMap<String, AttentionKernel> byName = new TreeMap<>();
        for (AttentionKernel k : ServiceLoader.load(AttentionKernel.class, loader)) {
            byName.putIfAbsent(k.name(), k);
        }
        return new ArrayList<>(byName.values());
    }

    /** Every additive kernel on the class path of {@code loader}, by pattern name. */
    public static List<AdditiveKernel> additive(ClassLoader loader) {
        TreeMap<String, AdditiveKernel> byName = new TreeMap<>();
        for (AdditiveKernel k : ServiceLoader.load(AdditiveKernel.class, loader)) {
            byName.putIfAbsent(k.name(), k);
        }
        return new ArrayList<>(byName.values());
    }

    /** The softmax kernel of {@code pattern}; the error lists the patterns that are there. */
    public static AttentionKernel attention(String pattern) {
        List<AttentionKernel> all = attention(Thread.currentThread().getContextClassLoader());
        for (AttentionKernel k : all) {
            if (k.name().equals(pattern)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no generated softmax kernel '" + pattern + "' on the class path; found "
                + all.stream().map(AttentionKernel::name).toList()
                + " (generate it with the attnc Maven plugin or attnc compile)");
    }

    /** The additive kernel of {@code pattern}; the error lists the patterns that are there. */
    public static AdditiveKernel additive(String pattern) {
        List<AdditiveKernel> all = additive(Thread.currentThread().getContextClassLoader());
        for (AdditiveKernel k : all) {
            if (k.name().equals(pattern)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no generated additive kernel '" + pattern + "' on the class path; found "
                + all.stream().map(AdditiveKernel::name).toList()
                + " (generate it with the attnc Maven plugin or attnc compile)");
    }

    /**
     * The host side of softmax pattern {@code pattern} (the generated {@code <Name>Kernel.Binding},
     * for {@code CudaAttentionKernel}), found among the registered kernel classes without
     * instantiating any kernel: neither javac nor the Vector API is needed. The error lists the
     * patterns that are there.
     */
    public static PatternBinding binding(String pattern) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        TreeMap<String, PatternBinding> byName = new TreeMap<>();
        for (ServiceLoader.Provider<AttentionKernel> p : ServiceLoader.load(AttentionKernel.class, loader).stream().toList()) {
            Class<?> nested;
            try {
                nested = Class.forName(p.type().getName() + "$Binding", true, p.type().getClassLoader());
            } catch (ClassNotFoundException e) {
                continue;   // not a generated softmax kernel
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
                throw new IllegalStateException("cannot instantiate " + nested.getName() + ": " + e.getCause(), e.getCause());
            }
        }
        PatternBinding b = byName.get(pattern);
        if (b == null) {
            throw new IllegalArgumentException("no generated softmax kernel '" + pattern + "' on the class path; found "
                    + List.copyOf(byName.keySet()) + " (generate it with the attnc Maven plugin or attnc compile)");
        }
        return b;
    }
}
