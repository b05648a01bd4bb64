package dev.attnc.bench.device;

import java.util.Arrays;

/**
 * The milliseconds of a point's timed launches, each measured by CUDA events, summarised.
 *
 * @param median the median (the mean of the two middle values for an even count)
 * @param min    the fastest launch
 * @param count  how many launches were timed
 */
public record LaunchTimes(double median, double min, int count) {

    /**
     * Summarises {@code ms}.
     *
     * @throws IllegalArgumentException when {@code ms} is empty or holds a negative or non-finite value
     */
    public static LaunchTimes of(float[] ms) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("launch times: expected at least one, got none");
        }
        double[] s = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            if (!(ms[i] >= 0) || Float.isInfinite(ms[i])) {
                throw new IllegalArgumentException("launch times: element " + i + " is " + ms[i] + " ms");
            }
            s[i] = ms[i];
        }
        Arrays.sort(s);
        int m = s.length / 2;
        double median = s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
        return new LaunchTimes(median, s[0], s.length);
    }
}
