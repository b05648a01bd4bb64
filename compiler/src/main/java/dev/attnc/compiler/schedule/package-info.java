/**
 * Schedules: every tuning choice of a kernel ({@code Schedule}: query tile, key tile, grain)
 * and the cost model that picks the defaults from the pattern IR ({@code CostModel}); the
 * command line and the Maven plugin can override fields ({@code qtile=…,ktile=…,grain=…}).
 * May import only {@code ir}.
 */
package dev.attnc.compiler.schedule;
