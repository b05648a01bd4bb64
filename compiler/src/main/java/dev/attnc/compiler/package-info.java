/**
 * The compiler driver: {@code Pipeline} lists every stage in order, front end and back end, in
 * one place (as Halide's {@code Lower.cpp}); {@code BigStack} runs the front end on a thread
 * with a stack deep enough for long but legal inputs. Imports the stages it runs; the command
 * line, the code generator and the Maven plugin call it.
 */
package dev.attnc.compiler;
