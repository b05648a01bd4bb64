/**
 * File output that never leaves a half-written file behind ({@code AtomicFile}: a temporary
 * sibling, then an atomic move). Imports nothing of attnc.
 */
package dev.attnc.compiler.io;
