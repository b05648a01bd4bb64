package dev.attnc.compiler.exec;

/**
 * What every backend's {@link #open} does first: checks the options against the pattern and
 * fails, naming the backend, when it cannot run here.
 */
abstract class BaseBackend implements Backend {

    private final String name;

    BaseBackend(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final BackendKernel open(CheckedPattern pattern, RunOptions options) {
        options.check(pattern.ir());
        unavailableReason().ifPresent(r -> {
            throw BackendException.of(name, r, null);
        });
        return openChecked(pattern, options);
    }

    /** {@link #open} once the options fit and the backend can run. */
    abstract BackendKernel openChecked(CheckedPattern pattern, RunOptions options);
}
