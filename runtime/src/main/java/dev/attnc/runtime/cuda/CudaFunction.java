package dev.attnc.runtime.cuda;

import java.util.Objects;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;

/**
 * A kernel of a loaded {@link CudaModule}, from {@link CudaModule#function}.
 *
 * <p>Guarantees: {@link #launch} passes each argument by value in order — a
 * {@link DeviceBuffer} as its device pointer, {@code null} as a null pointer, an
 * {@code Integer}, {@code Long}, {@code Float} or {@code Double} as that C type — launches on
 * the default stream and returns when the kernel has finished; a failing launch or kernel
 * throws {@link IllegalStateException} naming the kernel, the launch and the CUDA error.
 * Before the first launch with dynamic shared memory it prefers the largest shared-memory
 * carveout ({@code CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT} = 100), and before a
 * launch with more than {@link LaunchConfig#MAX_SHARED_BYTES} it opts the function in
 * ({@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES}); each attribute is set once per
 * function and size (remembered here). Valid until its module is closed.
 */
public final class CudaFunction {

    private final CudaModule module;
    private final String name;
    private final CUfunction handle;
    /** Dynamic shared memory the function is opted in to (48 KiB needs no opt-in). */
    private int optedInSharedBytes = LaunchConfig.MAX_SHARED_BYTES;

    private boolean carveoutSet;

    CudaFunction(CudaModule module, String name, CUfunction handle) {
        this.module = module;
        this.name = name;
        this.handle = handle;
    }

    public String name() {
        return name;
    }

    public CudaModule module() {
        return module;
    }

    /** Runs the kernel over {@code config} with {@code args} and waits for it. */
    public void launch(LaunchConfig config, Object... args) {
        CudaDriver.Api.launch(handle, name, config, ready(config, args));
    }

    /**
     * Enqueues the kernel over {@code config} with {@code args} on the default stream and returns
     * without waiting (arguments as for {@link #launch}); a failure of the kernel itself is
     * reported by the next synchronizing call, e.g. {@link CudaEventTimer#stop()} or
     * {@link CudaContext#synchronize()}. The buffers must stay open until the kernel finished.
     */
    public void enqueue(LaunchConfig config, Object... args) {
        CudaDriver.Api.enqueue(handle, name, config, ready(config, args));
    }

    /** Checks a launch, makes the context current, sets the shared-memory attributes; the kernel parameters. */
    private Pointer ready(LaunchConfig config, Object... args) {
        Objects.requireNonNull(config, "config");
        module.checkOpen();
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = argument(i, args[i]);
        }
        CudaDriver.context();
        prepareShared(config.sharedBytes());
        return Pointer.to(params);
    }

    /** Sets the shared-memory attributes a launch with {@code bytes} of dynamic shared memory needs, once. */
    private synchronized void prepareShared(int bytes) {
        if (bytes > 0 && !carveoutSet) {
            CudaDriver.Api.preferMaxSharedCarveout(handle, name);
            carveoutSet = true;
        }
        if (bytes > optedInSharedBytes) {
            CudaDriver.Api.allowDynamicShared(handle, name, bytes);
            optedInSharedBytes = bytes;
        }
    }

    private Pointer argument(int i, Object a) {
        if (a == null) {
            return Pointer.to(new long[] {0});
        }
        if (a instanceof DeviceBuffer b) {
            return Pointer.to(b.pointer());
        }
        if (a instanceof Integer v) {
            return Pointer.to(new int[] {v});
        }
        if (a instanceof Long v) {
            return Pointer.to(new long[] {v});
        }
        if (a instanceof Float v) {
            return Pointer.to(new float[] {v});
        }
        if (a instanceof Double v) {
            return Pointer.to(new double[] {v});
        }
        throw new IllegalArgumentException("kernel " + name + ", argument " + i + ": unsupported type "
                + a.getClass().getName()
                + "; pass a DeviceBuffer, null (a null pointer), Integer, Long, Float or Double");
    }

    @Override
    public String toString() {
        return name + " in " + module;
    }
}
