/**
 * The device benchmark: generated CUDA kernels of the library timed on a GPU with CUDA events
 * ({@link dev.attnc.bench.device.DeviceBenchmark}); not JMH, since the device does the timing.
 */
package dev.attnc.bench.device;
