/**
 * Diagnostics as data: one enum of codes ({@code DiagCode}: code, severity, message template),
 * {@code Diagnostic} records, and {@code Diagnostics}, which collects them and renders
 * {@code file:line:col: error[E0xx]: message} with the source line and a caret. May import only
 * {@code source}.
 */
package dev.attnc.compiler.diag;
