package dev.attnc.runtime.cuda;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.kernel.PatternBinding;
import java.util.Objects;

/**
 * A compiled pattern run on the GPU: the host side of the CUDA backend. The pattern's
 * generated binding ({@link PatternBinding}, no Java kernel: neither javac nor the Vector API
 * is needed) validates the inputs (same messages as the Java backend) and supplies the per-call
 * bindings ({@link CudaBinding}); the device kernel {@code entry} of
 * {@code module} does the attention. The kernel ABI, as the compiler generates it:
 *
 * <pre>
 * extern "C" __global__ void entry(const T* q, const T* k, const T* v,
 *      const T* qg, const T* kg, const T* vg,   // null without separate global projections
 *      const unsigned char* key_valid,          // [B, n] 0/1, null without padding
 *      const int* bind,                         // CudaBinding.words()
 *      float* work,                             // CudaBinding.workFloats() zeroed floats, null when 0
 *      T* out,                                  // same layout and shape as q
 *      int layout)                              // 0 = BHLD, 1 = BLHD
 * </pre>
 *
 * launched over grid ({@code binding.gridX()}, H, B) — the row blocks, then the split-K blocks
 * of the global rows — with blocks of {@code threads} threads and {@code sharedBytes} of
 * dynamic shared memory ({@link CudaShape#sharedBytes}; above 48 KiB the function is opted in
 * by {@link CudaFunction#launch}); T is the {@link CudaDtype}. The work buffer holds the
 * split-K blocks' counters (the kernel leaves them zero after a launch) and partial results;
 * it is allocated and zeroed per call.
 *
 * <p>Guarantees: the constructor resolves {@code entry} (so a missing function or a missing
 * device fails there, the latter with {@link CudaUnavailableException}); {@link #compute}
 * validates everything before touching the device, frees every buffer it allocated (also on
 * failure), and returns when the output is on the host. Thread-safe: no state between calls.
 */
public final class CudaAttentionKernel implements AttentionKernel {

    private final PatternBinding pattern;
    private final CudaDtype dtype;
    private final int threads;
    private final int queryTile;
    private final int sharedBytes;
    private final CudaFunction function;

    /**
     * @param pattern   the pattern's generated binding (validation and bindings)
     * @param module    the image holding {@code entry}
     * @param entry     the device kernel's {@code extern "C"} name
     * @param dtype     element type of q, k, v and out on the device
     * @param threads   threads per block (1..1024), as the kernel was generated for
     * @param queryTile query rows per block, as the kernel was generated for
     * @param sharedBytes dynamic shared memory per block, as the kernel was generated for
     *     (0..{@link LaunchConfig#MAX_OPT_IN_SHARED_BYTES})
     */
    public CudaAttentionKernel(
            PatternBinding pattern,
            CudaModule module,
            String entry,
            CudaDtype dtype,
            int threads,
            int queryTile,
            int sharedBytes) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(entry, "entry");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        if (threads < 1 || threads > LaunchConfig.MAX_BLOCK) {
            throw new IllegalArgumentException("threads: expected 1.." + LaunchConfig.MAX_BLOCK + ", got " + threads);
        }
        if (queryTile < 1) {
            throw new IllegalArgumentException("queryTile: expected >= 1, got " + queryTile);
        }
        if (sharedBytes < 0 || sharedBytes > LaunchConfig.MAX_OPT_IN_SHARED_BYTES) {
            throw new IllegalArgumentException(
                    "sharedBytes: expected 0.." + LaunchConfig.MAX_OPT_IN_SHARED_BYTES + ", got " + sharedBytes);
        }
        this.threads = threads;
        this.queryTile = queryTile;
        this.sharedBytes = sharedBytes;
        this.function = module.function(entry);
    }

    /**
     * The generated entry {@code <pattern>_<f32|f16|bf16>} of {@code module}, launched with the
     * engine's shape for the pattern's head dim ({@link CudaShape}).
     */
    public static CudaAttentionKernel of(PatternBinding pattern, CudaModule module, CudaDtype dtype) {
        boolean tensor = dtype.tensorCores();
        int d = pattern.headDim();
        return new CudaAttentionKernel(
                pattern,
                module,
                CudaEntries.softmax(pattern.name(), dtype),
                dtype,
                CudaShape.threads(d, tensor),
                CudaShape.queryTile(d, tensor),
                CudaShape.sharedBytes(d, tensor));
    }

    @Override
    public String name() {
        return pattern.name();
    }

    @Override
    public int headDim() {
        return pattern.headDim();
    }

    public CudaDtype dtype() {
        return dtype;
    }

    @Override
    public void compute(AttentionInputs in, float[] out) {
        CudaBinding binding = CudaBinding.pack(pattern, in, queryTile, pattern.headDim());
        in.checkOutput(out);
        DeviceCall.run(call -> {
            DeviceBuffer q = call.upload("q", in.q(), dtype);
            DeviceBuffer k = call.upload("k", in.k(), dtype);
            DeviceBuffer v = call.upload("v", in.v(), dtype);
            DeviceBuffer qg = null;
            DeviceBuffer kg = null;
            DeviceBuffer vg = null;
            if (in.hasGlobalProjections()) {
                qg = call.upload("qg", in.qg(), dtype);
                kg = call.upload("kg", in.kg(), dtype);
                vg = call.upload("vg", in.vg(), dtype);
            }
            DeviceBuffer o =
                    call.own(DeviceBuffer.allocate("out", (long) in.shape().elements() * dtype.bytes()));
            launch(call, in, binding, q, k, v, qg, kg, vg, o);
            DeviceCall.download(o, dtype, out);
        });
    }

    /**
     * Computes with tensors already on the device: reads {@code in}'s buffers and writes
     * {@code out} (same shape and layout as q, in this kernel's dtype); the bindings and the
     * key-valid mask are uploaded per call.
     */
    public void compute(DeviceInputs in, DeviceBuffer out) {
        AttentionInputs host = in.host();
        CudaBinding binding = CudaBinding.pack(pattern, host, queryTile, pattern.headDim());
        checkBuffers(in, out);
        DeviceCall.run(call -> launch(call, host, binding, in.q(), in.k(), in.v(), in.qg(), in.kg(), in.vg(), out));
    }

    /**
     * The call {@link #compute(DeviceInputs, DeviceBuffer)} would make, set up once: the bindings
     * and the key-valid mask are uploaded now and kept by the returned {@link PreparedLaunch},
     * whose {@link PreparedLaunch#enqueue()} launches the kernel on {@code in}'s buffers into
     * {@code out} without uploading anything (for timing with {@link CudaEventTimer}). The
     * buffers of {@code in} and {@code out} stay the caller's and must outlive the prepared call.
     *
     * @throws IllegalArgumentException as {@code compute} does, before anything is allocated
     */
    public PreparedLaunch prepare(DeviceInputs in, DeviceBuffer out) {
        AttentionInputs host = in.host();
        CudaBinding binding = CudaBinding.pack(pattern, host, queryTile, pattern.headDim());
        checkBuffers(in, out);
        return DeviceCall.prepare(call -> {
            launch(call, host, binding, in.q(), in.k(), in.v(), in.qg(), in.kg(), in.vg(), out);
            return out;
        });
    }

    /**
     * Every device buffer of a call holds its shape in this dtype: q, qg and out q's, k, v, kg, vg
     * the kv heads' (grouped-query attention; the same as q's without it).
     */
    private void checkBuffers(DeviceInputs in, DeviceBuffer out) {
        AttentionInputs host = in.host();
        long want = (long) host.shape().elements() * dtype.bytes();
        String shape = dtype + " " + host.layout().describe(host.shape()) + " in layout " + host.layout() + " (" + want
                + " bytes)";
        AttentionShape kvShape = host.shape().kvShape();
        long kvWant = (long) kvShape.elements() * dtype.bytes();
        String kvDescribed = dtype + " " + host.layout().describe(kvShape) + " in layout " + host.layout() + " ("
                + kvWant + " bytes)";
        for (DeviceBuffer b : new DeviceBuffer[] {in.q(), in.qg()}) {
            if (b != null) {
                checkBuffer(b, want, shape);
            }
        }
        for (DeviceBuffer b : new DeviceBuffer[] {in.k(), in.v(), in.kg(), in.vg()}) {
            if (b != null) {
                checkBuffer(b, kvWant, kvDescribed);
            }
        }
        checkBuffer(Objects.requireNonNull(out, "out"), want, shape);
    }

    private void launch(
            DeviceCall call,
            AttentionInputs in,
            CudaBinding binding,
            DeviceBuffer q,
            DeviceBuffer k,
            DeviceBuffer v,
            DeviceBuffer qg,
            DeviceBuffer kg,
            DeviceBuffer vg,
            DeviceBuffer out) {
        AttentionShape s = in.shape();
        DeviceBuffer keyValid = in.hasKeyValid() ? call.own(DeviceBuffer.of("key_valid", keyValidBytes(in))) : null;
        DeviceBuffer bind = call.own(DeviceBuffer.of("bind", binding.words()));
        DeviceBuffer work = null;
        if (binding.workFloats() > 0) {
            work = call.own(DeviceBuffer.allocate("work", 4L * binding.workFloats()));
            work.zeroWords();
        }
        LaunchConfig config = new LaunchConfig(binding.gridX(), s.heads(), s.batch(), threads, sharedBytes);
        call.launch(function, config, q, k, v, qg, kg, vg, keyValid, bind, work, out, layoutCode(in.layout()));
    }

    /** The {@code layout} argument: 0 for {@code [B, H, L, D]}, 1 for {@code [B, L, H·D]}. */
    static int layoutCode(TensorLayout layout) {
        return layout == TensorLayout.BHLD ? 0 : 1;
    }

    /** {@code key_valid} as {@code unsigned char [B, n]}, 1 for real tokens. */
    static byte[] keyValidBytes(AttentionInputs in) {
        return KeyValidMask.bytes(in.shape().batch(), in.shape().length(), in::isValid);
    }

    private static void checkBuffer(DeviceBuffer b, long want, String shape) {
        if (b.bytes() != want) {
            throw new IllegalArgumentException(
                    b.name() + ": expected a device buffer of " + shape + ", got " + b.bytes() + " bytes");
        }
    }
}
