/**
 * The benchmark grid of issue 13 §3: the patterns of {@code specs/} ({@link
 * dev.attnc.bench.suite.SpecCatalog}), the exact work of each grid point ({@link
 * dev.attnc.bench.suite.Workloads}), the grids ({@link dev.attnc.bench.suite.Grid}) and the driver
 * that runs them with JMH ({@link dev.attnc.bench.suite.Suite}). Run through {@code bench/report}.
 */
package dev.attnc.bench.suite;
