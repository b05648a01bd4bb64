package dev.attnc.compiler.diag;

/** How bad a diagnostic is. Errors stop the compile before output is written; warnings do not. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
