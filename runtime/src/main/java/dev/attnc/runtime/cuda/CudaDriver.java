package dev.attnc.runtime.cuda;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUshared_carveout;
import jcuda.driver.JCudaDriver;

/**
 * The one gate to the CUDA driver: the only class that touches {@code jcuda.driver.JCudaDriver}.
 *
 * <p>Without a driver, JCuda's first touch of {@code JCudaDriver} throws
 * {@link UnsatisfiedLinkError} from its static initialiser and every later touch
 * {@link NoClassDefFoundError}. {@link #context()} makes that first touch inside a guard,
 * catches the failure once ({@link LinkageError} or a driver error), remembers it, and from
 * then on throws a new {@link CudaUnavailableException} with the same message on every call,
 * from any thread. The facade itself names no JCuda type in its fields or signatures, and
 * every driver call lives in the nested {@code Api}, which runs only after the guard passed.
 *
 * <p>Guarantees: {@link #context()} initialises at most once per process ({@code cuInit(0)},
 * device 0, its primary context, JCuda exceptions enabled) and makes the context current on
 * the calling thread; {@link #available()} and {@link #unavailableReason()} never throw.
 */
public final class CudaDriver {

    private static final Object LOCK = new Object();
    private static volatile CudaContext context;
    private static volatile CudaUnavailableException failure;

    private CudaDriver() {}

    /**
     * The process's context, current on the calling thread.
     *
     * @throws CudaUnavailableException when there is no driver, no device, or initialisation failed
     */
    public static CudaContext context() {
        CudaContext c = open();
        Api.makeCurrent(c);
        return c;
    }

    /** Whether a CUDA device can be used (initialises the driver on first call; never throws). */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why the CUDA backend cannot run here ({@link CudaUnavailableException}'s message), or empty when it can. */
    public static Optional<String> unavailableReason() {
        try {
            open();
            return Optional.empty();
        } catch (CudaUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static CudaContext open() {
        CudaContext c = context;
        if (c != null) {
            return c;
        }
        CudaUnavailableException f = failure;
        if (f == null) {
            synchronized (LOCK) {
                if (context != null) {
                    return context;
                }
                if (failure == null) {
                    try {
                        context = Api.open();
                        return context;
                    } catch (LinkageError e) {
                        failure = new CudaUnavailableException(CudaUnavailableException.NO_DRIVER, e);
                    } catch (CudaUnavailableException e) {
                        failure = e;
                    }
                }
                f = failure;
            }
        }
        // A new exception per call (stack trace of this caller), the first failure as its cause.
        throw new CudaUnavailableException(f.getMessage(), f.getCause() != null ? f.getCause() : f);
    }

    /**
     * Every call into {@code JCudaDriver}. Loaded and run only after {@link CudaDriver#open}
     * succeeded (or inside its guard, for {@link #open}); driver errors of later calls become
     * {@link IllegalStateException}s naming the call and the {@code CUresult}.
     */
    static final class Api {

        private Api() {}

        static CudaContext open() {
            String step = "cuInit";
            try {
                JCudaDriver.setExceptionsEnabled(true);
                JCudaDriver.cuInit(0);
                step = "cuDeviceGetCount";
                int[] count = new int[1];
                JCudaDriver.cuDeviceGetCount(count);
                if (count[0] == 0) {
                    throw new CudaUnavailableException(CudaUnavailableException.NO_DEVICE);
                }
                step = "cuDeviceGet";
                CUdevice device = new CUdevice();
                JCudaDriver.cuDeviceGet(device, 0);
                step = "cuDevicePrimaryCtxRetain";
                CUcontext ctx = new CUcontext();
                JCudaDriver.cuDevicePrimaryCtxRetain(ctx, device);
                step = "cuCtxSetCurrent";
                JCudaDriver.cuCtxSetCurrent(ctx);
                step = "cuDeviceGetAttribute";
                int[] major = new int[1];
                int[] minor = new int[1];
                JCudaDriver.cuDeviceGetAttribute(
                        major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
                JCudaDriver.cuDeviceGetAttribute(
                        minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
                step = "cuDeviceGetName";
                byte[] name = new byte[256];
                JCudaDriver.cuDeviceGetName(name, name.length, device);
                int len = 0;
                while (len < name.length && name[len] != 0) {
                    len++;
                }
                step = "cuDeviceTotalMem";
                long[] memory = new long[1];
                JCudaDriver.cuDeviceTotalMem(memory, device);
                return new CudaContext(
                        ctx, new String(name, 0, len, StandardCharsets.UTF_8), major[0], minor[0], memory[0]);
            } catch (CudaException e) {
                if (is(e, CUresult.CUDA_ERROR_NO_DEVICE)) {
                    throw new CudaUnavailableException(CudaUnavailableException.NO_DEVICE, e);
                }
                throw new CudaUnavailableException(
                        "CUDA driver error " + e.getMessage() + " in " + step + "; use the Java backend", e);
            }
        }

        /** Whether a JCuda exception (its message is {@code CUresult.stringFor(code)}) reports {@code code}. */
        static boolean is(CudaException e, int code) {
            return CUresult.stringFor(code).equals(e.getMessage());
        }

        static IllegalStateException error(CudaException e, String call) {
            return new IllegalStateException("CUDA error " + e.getMessage() + " in " + call, e);
        }

        static void makeCurrent(CudaContext c) {
            try {
                JCudaDriver.cuCtxSetCurrent(c.handle());
            } catch (CudaException e) {
                throw error(e, "cuCtxSetCurrent");
            }
        }

        static void synchronize() {
            try {
                JCudaDriver.cuCtxSynchronize();
            } catch (CudaException e) {
                throw error(e, "cuCtxSynchronize (an earlier kernel launch or copy failed)");
            }
        }

        static CUdeviceptr alloc(long bytes) {
            CUdeviceptr p = new CUdeviceptr();
            try {
                JCudaDriver.cuMemAlloc(p, bytes);
            } catch (CudaException e) {
                throw error(e, "cuMemAlloc(" + bytes + " bytes)");
            }
            return p;
        }

        static void free(CUdeviceptr p) {
            try {
                JCudaDriver.cuMemFree(p);
            } catch (CudaException e) {
                throw error(e, "cuMemFree");
            }
        }

        static void toDevice(CUdeviceptr dst, Pointer src, long bytes) {
            try {
                JCudaDriver.cuMemcpyHtoD(dst, src, bytes);
            } catch (CudaException e) {
                throw error(e, "cuMemcpyHtoD(" + bytes + " bytes)");
            }
        }

        static void toHost(Pointer dst, CUdeviceptr src, long bytes) {
            try {
                JCudaDriver.cuMemcpyDtoH(dst, src, bytes);
            } catch (CudaException e) {
                throw error(e, "cuMemcpyDtoH(" + bytes + " bytes)");
            }
        }

        /** Sets {@code words} 32-bit words at {@code p} to zero. */
        static void zeroWords(CUdeviceptr p, long words) {
            try {
                JCudaDriver.cuMemsetD32(p, 0, words);
            } catch (CudaException e) {
                throw error(e, "cuMemsetD32(" + words + " words)");
            }
        }

        static void zero(CUdeviceptr p, long bytes) {
            try {
                JCudaDriver.cuMemsetD8(p, (byte) 0, bytes);
            } catch (CudaException e) {
                throw error(e, "cuMemsetD8(" + bytes + " bytes)");
            }
        }

        /** Loads an image; the driver's error (e.g. {@code CUDA_ERROR_NO_BINARY_FOR_GPU}) is named. */
        static CUmodule loadModule(byte[] image, String what) {
            CUmodule m = new CUmodule();
            try {
                JCudaDriver.cuModuleLoadData(m, image);
            } catch (CudaException e) {
                throw new IllegalStateException(
                        what + " could not be loaded: CUDA error " + e.getMessage() + " in cuModuleLoadData" + hint(e),
                        e);
            }
            return m;
        }

        private static String hint(CudaException e) {
            if (is(e, CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU)
                    || is(e, CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION)
                    || is(e, CUresult.CUDA_ERROR_INVALID_PTX)) {
                return " (the image has no cubin for this GPU and its PTX is newer than the driver or invalid)";
            }
            return "";
        }

        static void unloadModule(CUmodule m) {
            try {
                JCudaDriver.cuModuleUnload(m);
            } catch (CudaException e) {
                throw error(e, "cuModuleUnload");
            }
        }

        /** The function, or null when the module has no function of that name. */
        static CUfunction function(CUmodule m, String name) {
            CUfunction f = new CUfunction();
            try {
                JCudaDriver.cuModuleGetFunction(f, m, name);
            } catch (CudaException e) {
                if (is(e, CUresult.CUDA_ERROR_NOT_FOUND)) {
                    return null;
                }
                throw error(e, "cuModuleGetFunction(" + name + ")");
            }
            return f;
        }

        /**
         * Enqueues a launch on the default stream and returns without waiting; a kernel's own
         * failure surfaces at the next synchronizing call.
         */
        static void enqueue(CUfunction f, String name, LaunchConfig c, Pointer params) {
            try {
                JCudaDriver.cuLaunchKernel(
                        f, c.gridX(), c.gridY(), c.gridZ(), c.blockX(), 1, 1, c.sharedBytes(), null, params, null);
            } catch (CudaException e) {
                throw error(e, "cuLaunchKernel(" + name + ", " + c + ")");
            }
        }

        static CUevent eventCreate() {
            CUevent e = new CUevent();
            try {
                JCudaDriver.cuEventCreate(e, 0);
            } catch (CudaException x) {
                throw error(x, "cuEventCreate");
            }
            return e;
        }

        /** Records {@code e} on the default stream. */
        static void eventRecord(CUevent e) {
            try {
                JCudaDriver.cuEventRecord(e, null);
            } catch (CudaException x) {
                throw error(x, "cuEventRecord");
            }
        }

        static void eventSynchronize(CUevent e, String what) {
            try {
                JCudaDriver.cuEventSynchronize(e);
            } catch (CudaException x) {
                throw error(x, "cuEventSynchronize (" + what + ")");
            }
        }

        /** Milliseconds between two completed events (resolution about 0.5 µs). */
        static float eventElapsed(CUevent start, CUevent end) {
            float[] ms = new float[1];
            try {
                JCudaDriver.cuEventElapsedTime(ms, start, end);
            } catch (CudaException x) {
                throw error(x, "cuEventElapsedTime");
            }
            return ms[0];
        }

        static void eventDestroy(CUevent e) {
            try {
                JCudaDriver.cuEventDestroy(e);
            } catch (CudaException x) {
                throw error(x, "cuEventDestroy");
            }
        }

        /** Opts {@code f} in to {@code bytes} of dynamic shared memory (more than 48 KiB needs it). */
        static void allowDynamicShared(CUfunction f, String name, int bytes) {
            try {
                JCudaDriver.cuFuncSetAttribute(
                        f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes);
            } catch (CudaException e) {
                throw error(
                        e,
                        "cuFuncSetAttribute(" + name + ", CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, " + bytes
                                + ") (the GPU may have less shared memory per block)");
            }
        }

        /** Asks for the largest shared-memory carveout for {@code f} ({@code CU_SHAREDMEM_CARVEOUT_MAX_SHARED}). */
        static void preferMaxSharedCarveout(CUfunction f, String name) {
            try {
                JCudaDriver.cuFuncSetAttribute(
                        f,
                        CUfunction_attribute.CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT,
                        CUshared_carveout.CU_SHAREDMEM_CARVEOUT_MAX_SHARED);
            } catch (CudaException e) {
                throw error(
                        e, "cuFuncSetAttribute(" + name + ", CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 100)");
            }
        }

        /** Launches on the default stream and waits for the kernel to finish. */
        static void launch(CUfunction f, String name, LaunchConfig c, Pointer params) {
            try {
                JCudaDriver.cuLaunchKernel(
                        f, c.gridX(), c.gridY(), c.gridZ(), c.blockX(), 1, 1, c.sharedBytes(), null, params, null);
            } catch (CudaException e) {
                throw error(e, "cuLaunchKernel(" + name + ", " + c + ")");
            }
            try {
                JCudaDriver.cuCtxSynchronize();
            } catch (CudaException e) {
                throw error(e, "kernel " + name + " (" + c + ")");
            }
        }
    }
}
