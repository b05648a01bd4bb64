/**
 * NumPy {@code .npy} files: {@code Npy} reads and writes version 1-3 headers, C order,
 * float32/float64/int32/int64/bool, into {@code NpyArray}. Imports nothing of attnc.
 */
package dev.attnc.runtime.io;
