package dev.attnc.compiler.jit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources held in memory with the system compiler ({@code javax.tools}) and
 * loads the classes, for generated kernels at run time (jshell, notebooks, tests). The
 * Vector API module is added, and the target is Java 17 bytecode, as in the build.
 *
 * <p>Fails with a {@link CompilationException} naming the source line of every javac error,
 * or when no system compiler exists (a JRE rather than a JDK).
 */
public final class InMemoryJavaCompiler {

    /** The options of every compilation (the class path is added to them). */
    private static final List<String> OPTIONS =
            List.of("--release", "17", "--add-modules", "jdk.incubator.vector", "-Xlint:-options", "-nowarn");

    private final JavaCompiler javac;

    private InMemoryJavaCompiler(JavaCompiler javac) {
        this.javac = javac;
    }

    /** The javac options of every compilation, without the class path (part of a {@link ClassCache} key). */
    public static List<String> options() {
        return OPTIONS;
    }

    /** The system compiler, or a {@link CompilationException} saying that a JDK is needed. */
    public static InMemoryJavaCompiler system() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new CompilationException("no system Java compiler: this is a JRE (java.home = "
                    + System.getProperty("java.home") + "); compiling kernels at run time needs a JDK 17 or later,"
                    + " or use the kernels generated at build time by attnc-maven-plugin");
        }
        return new InMemoryJavaCompiler(javac);
    }

    /**
     * Compiles {@code sources} (fully qualified class name to source text) and returns a class
     * loader, child of {@code parent}, that defines them.
     */
    public ClassLoader compile(Map<String, String> sources, ClassLoader parent) {
        return loader(classes(sources), parent);
    }

    /**
     * As {@link #compile}, but takes the class files from {@code cache} when it holds them for
     * these sources (javac is not run), and stores them there after compiling otherwise.
     */
    public ClassLoader compile(Map<String, String> sources, ClassLoader parent, ClassCache cache) {
        return loader(classes(sources, cache), parent);
    }

    /** The class files of {@code sources}, from {@code cache} or compiled and stored there. */
    public Map<String, byte[]> classes(Map<String, String> sources, ClassCache cache) {
        String key = ClassCache.key(sources, OPTIONS);
        Optional<Map<String, byte[]>> cached = cache.load(key);
        if (cached.isPresent() && cached.get().keySet().containsAll(sources.keySet())) {
            return cached.get();
        }
        Map<String, byte[]> compiled = classes(sources);
        cache.store(key, compiled);
        return compiled;
    }

    /** Runs javac on {@code sources}: class name to class file bytes (nested classes included). */
    public Map<String, byte[]> classes(Map<String, String> sources) {
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new Source(name, text)));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(
                    Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(
                        URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        classes.put(className, out);
                        return out;
                    }
                };
            }
        };
        List<String> options = new ArrayList<>(OPTIONS);
        options.add("-classpath");
        options.add(System.getProperty("java.class.path"));
        StringWriter javacOut = new StringWriter();
        boolean ok = javac.getTask(javacOut, files, diagnostics, options, null, units)
                .call();
        try {
            files.close();
        } catch (IOException e) {
            // In-memory file manager: nothing to release that matters.
        }
        if (!ok) {
            StringBuilder sb = new StringBuilder("generated code does not compile (a bug in attnc; please report it):");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String file = d.getSource() == null ? "?" : d.getSource().getName();
                    sb.append("\n  ")
                            .append(file)
                            .append(':')
                            .append(d.getLineNumber())
                            .append(": ")
                            .append(d.getMessage(Locale.ROOT));
                }
            }
            throw new CompilationException(sb.toString());
        }
        Map<String, byte[]> bytes = new HashMap<>();
        classes.forEach((k, v) -> bytes.put(k, v.toByteArray()));
        return bytes;
    }

    /** A class loader, child of {@code parent}, that defines {@code bytes} (class name to class file). */
    public static ClassLoader loader(Map<String, byte[]> bytes, ClassLoader parent) {
        Map<String, byte[]> copy = Map.copyOf(bytes);
        return new ClassLoader(parent) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = copy.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
    }

    /** A source file in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
