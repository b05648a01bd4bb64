/**
 * {@code attnc-maven-plugin}: the goals {@code generate} and {@code test-generate}, thin Mojos that
 * map their parameters onto the compiler's {@code CodegenRequest} and log what the code generator
 * reports. Every rule (stale checks, atomic writes, nvcc, diagnostics) lives in the compiler's
 * {@code codegen} package, where unit tests reach it.
 */
package dev.attnc.maven;
