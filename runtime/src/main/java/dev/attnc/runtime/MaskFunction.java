package dev.attnc.runtime;

/**
 * Which keys a query may attend, pair by pair, for the dense reference. Padding is not part
 * of it: the reference applies {@code keyValid} itself.
 */
@FunctionalInterface
public interface MaskFunction {
    boolean allowed(int batch, int head, int query, int key);
}
