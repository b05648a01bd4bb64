package dev.attnc.compiler;

import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.frontend.SpecParser;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.compiler.source.Span;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Runs the front end on a thread with a large stack, and turns a stack overflow into a diagnostic. */
final class BigStack {

    private BigStack() {}

    static Pipeline.Result call(long stackBytes, Supplier<Pipeline.Result> work, Diagnostics diags) {
        AtomicReference<Pipeline.Result> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.set(work.get());
                    } catch (StackOverflowError e) {
                        diags.report(
                                DiagCode.E006,
                                Span.startOf(SourceFile.ofString("<input>", "")),
                                SpecParser.MAX_NESTING);
                        result.set(new Pipeline.Result(List.of(), diags, Optional.empty()));
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "attnc-front-end",
                stackBytes);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error err) {
            throw err;
        } else if (f != null) {
            throw new IllegalStateException(f);
        }
        return result.get();
    }
}
