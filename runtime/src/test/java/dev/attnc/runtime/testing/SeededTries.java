package dev.attnc.runtime.testing;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.opentest4j.TestAbortedException;

/**
 * Property tests as JUnit 5 dynamic tests over seeded generators: a {@code @TestFactory} returns
 * {@code SeededTries.forAll(tries, draw, property)}, one dynamic test per try. Each try draws
 * its sample from a {@link Gen} seeded with its own case seed, which its display name carries; a
 * failure repeats the message with the sample and the options that run that case alone,
 * {@code -Dtest=Class#method -Dattnc.seed=S} (with {@value #REPLAY_PROPERTY} set, every property
 * runs only the case with that seed). Case seeds follow from a master seed: given, for a property
 * that checks the same cases on every run, or fresh on every run. A failed assumption
 * ({@code Assumptions.assumeTrue}) reports its try as skipped, a rejected try. There is no
 * shrinking: most properties draw everything from one seed, where shrinking has nothing to work on.
 */
public final class SeededTries {

    /** The system property that replays one case (passed through by surefire from {@code -D}). */
    public static final String REPLAY_PROPERTY = "attnc.seed";

    private SeededTries() {}

    /** {@code tries} cases from a fresh master seed: other cases on every run. */
    public static <T> Stream<DynamicTest> forAll(int tries, Function<Gen, T> draw, ThrowingConsumer<T> property) {
        return forAll(tries, ThreadLocalRandom.current().nextLong(), draw, property);
    }

    /** {@code tries} cases from {@code masterSeed}: the same cases on every run. */
    public static <T> Stream<DynamicTest> forAll(
            int tries, long masterSeed, Function<Gen, T> draw, ThrowingConsumer<T> property) {
        String test = StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> !f.getClassName().equals(SeededTries.class.getName()))
                        .findFirst())
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "#" + f.getMethodName())
                .orElse("?");
        String replay = System.getProperty(REPLAY_PROPERTY, "");
        if (!replay.isBlank()) {
            long seed = Long.parseLong(replay.strip());
            return Stream.of(DynamicTest.dynamicTest("replay, seed " + seed, () -> run(test, seed, draw, property)));
        }
        SplittableRandom master = new SplittableRandom(masterSeed);
        long[] seeds = master.longs(tries).toArray();
        return IntStream.range(0, tries)
                .mapToObj(k -> DynamicTest.dynamicTest(
                        "try " + (k + 1) + ", seed " + seeds[k], () -> run(test, seeds[k], draw, property)));
    }

    private static <T> void run(String test, long seed, Function<Gen, T> draw, ThrowingConsumer<T> property) {
        T sample = null;
        try {
            sample = draw.apply(new Gen(seed));
            property.accept(sample);
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(
                    e.getMessage() + "\n  sample: " + sample + "\n  replay: -Dtest=" + test + " -D" + REPLAY_PROPERTY
                            + "=" + seed,
                    e);
        }
    }
}
