/**
 * Measured tuning, TVM-style: {@code Tuner} builds a few candidate schedules of a pattern in
 * memory ({@code jit.KernelCompiler}) and times each on a representative input;
 * {@code ScheduleCache} keeps the fastest per machine ({@code MachineKey}) and pattern
 * ({@code PatternKey}) in a small file; {@code ScheduleChoice} decides which schedule a build
 * uses (explicit overrides, then a fresh measurement when asked, then the cache, then the cost
 * model). May import {@code ir}, {@code schedule}, {@code jit}, {@code io} and the runtime.
 */
package dev.attnc.compiler.tune;
