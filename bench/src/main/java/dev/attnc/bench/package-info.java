/**
 * JMH benchmarks of the generated kernels (taken from the {@code generated} library) and of the
 * tile analysis. Built by the normal build, never run by it: see docs/JAVA_BACKEND.md for the
 * commands and the measured numbers.
 */
package dev.attnc.bench;
