/**
 * Schedules: every tuning choice of a kernel ({@code Schedule}: query tile, key tile, grain,
 * register block rows × vectors, vector width) and the cost model that picks the defaults from
 * the pattern IR and a vector width ({@code CostModel}; the machine's width by
 * {@code VectorWidth}); the command line and the Maven plugin can override fields
 * ({@code qtile=…,ktile=…,grain=…,rows=…,vecs=…,bits=…}). May import only {@code ir}.
 */
package dev.attnc.compiler.schedule;
