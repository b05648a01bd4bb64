package dev.attnc.compiler;

import java.util.function.Supplier;

/**
 * What a caller of {@link Pipeline} may watch: the time of each pass, and the output of each
 * stage that has a printer ({@code attnc compile --time-passes}, {@code --dump=…}). Every
 * method has a no-op default; {@link #NONE} watches nothing and costs nothing.
 */
public interface PassObserver {

    /** Watches nothing. */
    PassObserver NONE = new PassObserver() {};

    /** The stages whose output can be printed, in pipeline order. */
    enum Dump {
        /** The pattern IR ({@code IrPrinter}). */
        IR,
        /** The loop IR with its schedule ({@code LoopPrinter}). */
        LOOPS,
        /** The generated Java source. */
        JAVA,
        /** The generated CUDA source. */
        CUDA
    }

    /** Pass {@code pass} ran once and took {@code nanos}; called on the thread that ran it. */
    default void timed(String pass, long nanos) {}

    /** Whether {@link #dumped} wants {@code stage}: when false its text is not even printed. */
    default boolean wants(Dump stage) {
        return false;
    }

    /** The output of {@code stage} for one pattern (called only when {@link #wants} it). */
    default void dumped(Dump stage, String text) {}

    /** Runs {@code body} as pass {@code pass}, reporting its time. */
    default <T> T time(String pass, Supplier<T> body) {
        long start = System.nanoTime();
        try {
            return body.get();
        } finally {
            timed(pass, System.nanoTime() - start);
        }
    }

    /** Runs {@code body} as pass {@code pass}, reporting its time. */
    default void run(String pass, Runnable body) {
        time(pass, () -> {
            body.run();
            return null;
        });
    }

    /** Reports {@code text} as the output of {@code stage} when it is wanted. */
    default void dump(Dump stage, Supplier<String> text) {
        if (wants(stage)) {
            dumped(stage, text.get());
        }
    }
}
