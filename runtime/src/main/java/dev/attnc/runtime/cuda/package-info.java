/**
 * The CUDA host side on JCuda: {@code CudaDriver} (the one guard around the native driver),
 * {@code CudaContext}, {@code CudaModule} (fatbins and PTX), {@code DeviceBuffer},
 * {@code LaunchConfig}, and the kernels with the runtime API ({@code CudaAttentionKernel},
 * {@code CudaAdditiveKernel}) with the parameter packing they upload ({@code CudaBinding},
 * {@code KeyValidMask}). Runs without the Vector API and without javac: it depends on the
 * pattern's host binding, never on the Java engine. May import {@code runtime} and the
 * binding classes of {@code runtime.kernel}.
 */
package dev.attnc.runtime.cuda;
