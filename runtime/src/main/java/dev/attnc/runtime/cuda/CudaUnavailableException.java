package dev.attnc.runtime.cuda;

/**
 * The CUDA backend cannot run on this machine: no driver library, no device, or the driver
 * failed to initialise. Thrown by {@link CudaDriver#context()} and by everything that needs a
 * device ({@link DeviceBuffer}, {@link CudaModule#function}, {@link CudaAttentionKernel}).
 *
 * <p>Guarantees: the message is one of {@link #NO_DRIVER}, {@link #NO_DEVICE}, or, for any
 * other failure of the driver's initialisation, {@code "CUDA driver error <CUresult name> in
 * <call>; use the Java backend"}; every call after the first failure throws a new exception
 * with the same message (the first failure, a {@link LinkageError} or a driver error, is its
 * cause), never a {@link NoClassDefFoundError}.
 */
public final class CudaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The message when the JNI library cannot load because {@code libcuda.so.1} is missing. */
    public static final String NO_DRIVER = "no CUDA driver (libcuda.so.1) found; use the Java backend";

    /** The message when the driver loads but reports no device. */
    public static final String NO_DEVICE = "no CUDA device found; use the Java backend";

    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
