/**
 * The emitters: loop IR to source text. {@code JavaEmitter} writes one Java class per pattern
 * through JavaPoet; {@code CudaEmitter} prints one {@code .cu} file per pattern through the one
 * indenting {@code CudaWriter}, over the engine headers in {@code resources/…/cuda}. The key
 * sets' cover and pair test come from visitors over the loop IR's {@code Keys}:
 * {@code JavaKeys} (JavaPoet code blocks) and {@code CudaKeys} (through {@code CudaWriter});
 * the CUDA emulator's entry table is {@code EmuEntryTable}. No source is built by
 * concatenating strings. May import {@code ir}, {@code loops} and the runtime (names of the
 * classes generated code uses).
 */
package dev.attnc.compiler.emit;
