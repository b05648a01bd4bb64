/**
 * The CUDA tool chain around the emitter: {@code Nvcc} builds fatbins and reads {@code ptxas}
 * reports ({@code PtxasReport}, {@code KernelResources}), {@code CudaArch} names targets, and
 * the CPU emulation of CUDA ({@code EmuToolchain}, {@code CudaEmulator}) compiles the unchanged
 * {@code .cu} files with g++ under {@code attnc_emu.h} and runs them. May import {@code loops},
 * {@code emit}, {@code io} and the runtime (the host-side binding and key-validity packing).
 */
package dev.attnc.compiler.cuda;
