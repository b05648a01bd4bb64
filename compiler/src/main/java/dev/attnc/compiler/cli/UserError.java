package dev.attnc.compiler.cli;

/**
 * Something the user can fix (a value out of range, a pattern that is not in the file, a
 * file that cannot be written): {@code attnc} prints {@code attnc: <message>} and exits 1.
 */
final class UserError extends RuntimeException {

    UserError(String message) {
        super(message, null, false, false);
    }
}
