/**
 * The benchmark report: reads a results folder (JMH JSON, workloads, peak calibration) and writes
 * {@code machine.txt}, {@code report.md} and log-log SVG plots ({@link
 * dev.attnc.bench.report.Report}). Pure functions of their inputs, unit-tested on fixtures.
 */
package dev.attnc.bench.report;
