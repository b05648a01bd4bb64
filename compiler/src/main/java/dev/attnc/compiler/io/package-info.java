/**
 * Files: output that never leaves a half-written file behind ({@code AtomicFile}: a temporary
 * sibling, then an atomic move) and scratch trees removed quietly ({@code FileTrees}). Imports
 * nothing of attnc.
 */
package dev.attnc.compiler.io;
