/**
 * The compiler driver: {@code Pipeline} lists every stage in order, front end and back end, in
 * one place (as Halide's {@code Lower.cpp}): it lowers a pattern once and hands the plan to each
 * {@code Target}'s emitter; {@code PassObserver} and {@code PassTimes} are its {@code --dump} and
 * {@code --time-passes} hooks; {@code BigStack} runs the front end on a thread with a stack deep
 * enough for long but legal inputs. Imports the stages it runs; the command
 * line, the code generator and the Maven plugin call it.
 */
package dev.attnc.compiler;
