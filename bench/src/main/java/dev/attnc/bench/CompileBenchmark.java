package dev.attnc.bench;

import dev.attnc.bench.suite.SpecCatalog;
import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.emit.JavaEmitter;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.KernelCompiler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The compiler's own time on one spec file of {@code specs/}, in a cold JVM (single shot, one
 * per fork: what one {@code attnc} command pays) and a warm one (average, as the Maven plugin or
 * a long-lived process sees it):
 *
 * <ul>
 *   <li>{@code source}: the file through the front end ({@link Pipeline#compileFile}) and every
 *       pattern through the Java back end ({@link Pipeline#java}: schedule, loops, JavaPoet), the
 *       work of {@code attnc compile} and the Maven plugin without writing files;</li>
 *   <li>{@code kernels}: the same, then javac in memory and loading of every pattern's class
 *       ({@link KernelCompiler#load}), what {@code attnc run} adds before the first call.</li>
 * </ul>
 * The forks run with {@code -Dattnc.cache=off}: javac runs every time (the class cache would
 * otherwise serve every call after the first, and the second cold fork, from disk).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 5,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-Dattnc.cache=off"})
public class CompileBenchmark {

    /** The spec file, by name in {@code specs/}. */
    @Param({"longformer.attn"})
    public String spec;

    private Path file;

    @Setup
    public void setUp() {
        // only the path: compiling anything here would warm the compiler before the cold shot
        file = SpecCatalog.folder().resolve(spec);
    }

    private List<PatternIR> frontEnd() {
        Pipeline.Result r = Pipeline.compileFile(file, spec);
        if (!r.ok()) {
            throw new IllegalStateException(r.diagnostics().render());
        }
        return r.patterns();
    }

    private List<String> sources() {
        List<String> out = new ArrayList<>();
        for (PatternIR p : frontEnd()) {
            out.add(Pipeline.java(p, null, JavaEmitter.DEFAULT_PACKAGE).source());
        }
        return out;
    }

    private List<Object> kernels() {
        List<Object> out = new ArrayList<>();
        for (PatternIR p : frontEnd()) {
            out.add(KernelCompiler.load(p, null));
        }
        return out;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public List<String> sourceCold() {
        return sources();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(
            value = 1,
            jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-Dattnc.cache=off"})
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    public List<String> sourceWarm() {
        return sources();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public List<Object> kernelsCold() {
        return kernels();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(
            value = 1,
            jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-Dattnc.cache=off"})
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    public List<Object> kernelsWarm() {
        return kernels();
    }
}
