package dev.attnc.bench.device;

import dev.attnc.bench.suite.GridInputs;
import dev.attnc.bench.suite.SpecCatalog;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.Kernels;
import dev.attnc.runtime.cuda.CudaAdditiveKernel;
import dev.attnc.runtime.cuda.CudaAttentionKernel;
import dev.attnc.runtime.cuda.CudaDriver;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaEventTimer;
import dev.attnc.runtime.cuda.CudaModule;
import dev.attnc.runtime.cuda.DeviceBuffer;
import dev.attnc.runtime.cuda.DeviceInputs;
import dev.attnc.runtime.cuda.PreparedLaunch;
import dev.attnc.runtime.kernel.AdditiveAttentionKernel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The generated CUDA kernels of the library ({@code generated/}: {@link Kernels#binding} and
 * the fatbin on the class path, {@link CudaModule#fromResource}) timed on device 0 with CUDA
 * events: per (pattern, dtype, n), batch 1, the inputs of the JMH grid ({@link GridInputs}) are
 * uploaded once, the call is set up once ({@link PreparedLaunch}: bindings uploaded), then
 * {@code warmup} untimed launches and {@code iterations} launches each between two events
 * ({@link CudaEventTimer}). Prints a markdown table ({@link DeviceTable}) of median and minimum
 * milliseconds, TFLOP/s and GB/s ({@link DeviceWork}); run from the repository root (for
 * {@code specs/}):
 *
 * <pre>
 *   java -XX:MaxRAMPercentage=75 -cp bench/target/benchmarks.jar dev.attnc.bench.device.DeviceBenchmark --n 4096,16384
 * </pre>
 *
 * Exit codes: 0 done (or skipped without a device), 1 a point failed (the others still run),
 * 2 usage error, 4 no device with {@code --require-device}.
 */
public final class DeviceBenchmark {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NO_DEVICE = 4;

    /** The first words of the one line printed when no device can run. */
    public static final String SKIPPED = "device benchmark skipped: ";

    private DeviceBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args} and runs; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(DeviceBenchOptions.USAGE);
            return EXIT_OK;
        }
        DeviceBenchOptions options;
        try {
            options = DeviceBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(DeviceBenchOptions.USAGE);
            return EXIT_USAGE;
        }
        return run(options, CudaDriver.unavailableReason(), out, err);
    }

    /**
     * Runs {@code options}, or, when {@code unavailable} holds a reason, prints
     * {@value #SKIPPED}{@code <reason>} and returns 0 ({@link #EXIT_NO_DEVICE} with
     * {@code --require-device}) without touching the device.
     */
    static int run(DeviceBenchOptions options, Optional<String> unavailable, PrintStream out, PrintStream err) {
        if (unavailable.isPresent()) {
            out.println(SKIPPED + unavailable.get());
            return options.requireDevice() ? EXIT_NO_DEVICE : EXIT_OK;
        }
        SpecCatalog catalog;
        List<SpecCatalog.Entry> entries = new ArrayList<>();
        try {
            catalog = SpecCatalog.load();
            for (String name : options.patterns()) {
                SpecCatalog.Entry e = catalog.entry(name);
                if (!e.inLibrary()) {
                    throw new IllegalArgumentException("--patterns: '" + name + "' is not in the generated library");
                }
                entries.add(e);
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        out.println("device: " + CudaDriver.context() + "; " + options.warmup() + " warm-up + " + options.iterations()
                + " timed launches per point, batch 1");
        List<DeviceRow> rows = new ArrayList<>();
        boolean failed = false;
        for (SpecCatalog.Entry e : entries) {
            for (CudaDtype dtype : options.dtypes()) {
                for (int n : options.lengths()) {
                    try {
                        DeviceRow row = measure(e.pattern(), dtype, n, options);
                        rows.add(row);
                        err.println(String.join(" ", DeviceTable.cells(row)));
                    } catch (RuntimeException x) {
                        failed = true;
                        err.println("error: " + e.name() + " " + dtype.spelling() + " n=" + n + ": " + x);
                    }
                }
            }
        }
        out.println();
        out.print(DeviceTable.markdown(rows));
        if (options.out() != null) {
            Path f = options.out();
            String text =
                    f.getFileName().toString().endsWith(".tsv") ? DeviceTable.tsv(rows) : DeviceTable.markdown(rows);
            try {
                if (f.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(f.toAbsolutePath().getParent());
                }
                Files.writeString(f, text);
            } catch (IOException x) {
                err.println("error: --out " + f + ": cannot write: " + x.getMessage());
                return EXIT_FAILED;
            }
        }
        return failed ? EXIT_FAILED : EXIT_OK;
    }

    /** One point: inputs uploaded and the call prepared (not timed), then timed launches. */
    static DeviceRow measure(PatternIR p, CudaDtype dtype, int n, DeviceBenchOptions o) {
        DeviceWork work = DeviceWork.of(p, n, dtype);
        CudaModule module = CudaModule.fromResource(p.name());
        if (p.isAdditive()) {
            AdditiveKernel java = Kernels.additive(p.name());
            CudaAdditiveKernel kernel = new CudaAdditiveKernel(((AdditiveAttentionKernel) java).spec(), module, dtype);
            try (PreparedLaunch call = kernel.prepare(GridInputs.additive(p, work.workload()))) {
                return new DeviceRow(work, time(call, o.warmup(), o.iterations()));
            }
        }
        CudaAttentionKernel kernel = CudaAttentionKernel.of(Kernels.binding(p.name()), module, dtype);
        AttentionInputs in = GridInputs.softmax(p, work.workload());
        long bytes = (long) in.shape().elements() * dtype.bytes();
        try (DeviceBuffer q = upload("q", in.q(), dtype);
                DeviceBuffer k = upload("k", in.k(), dtype);
                DeviceBuffer v = upload("v", in.v(), dtype);
                DeviceBuffer out = DeviceBuffer.allocate("out", bytes);
                PreparedLaunch call = kernel.prepare(DeviceInputs.of(in, q, k, v), out)) {
            return new DeviceRow(work, time(call, o.warmup(), o.iterations()));
        }
    }

    /** {@code warmup} untimed launches (then a synchronisation), then {@code iterations} launches each timed by events. */
    static LaunchTimes time(PreparedLaunch call, int warmup, int iterations) {
        for (int i = 0; i < warmup; i++) {
            call.enqueue();
        }
        CudaDriver.context().synchronize();
        float[] ms = new float[iterations];
        try (CudaEventTimer t = CudaEventTimer.create()) {
            for (int i = 0; i < iterations; i++) {
                t.start();
                call.enqueue();
                ms[i] = t.stop();
            }
        }
        return LaunchTimes.of(ms);
    }

    private static DeviceBuffer upload(String name, float[] data, CudaDtype dtype) {
        return dtype == CudaDtype.F32 ? DeviceBuffer.of(name, data) : DeviceBuffer.of(name, dtype.toBits(data));
    }
}
