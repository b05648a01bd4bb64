package dev.attnc.compiler.inspect;

/**
 * What the pictures of a mask need: an {@code n × n} grid of (query, key) pairs, each
 * attended or not, and for an attended pair the kind of term it is drawn as. The mask
 * interpreter's dense masks are adapted to this; tests build small ones by hand.
 */
public interface KindMask {

    /** The sequence length {@code n}: queries and keys are {@code 0..n-1}. */
    int size();

    /** The kind drawn for the pair, or {@code null} when the query does not attend the key. */
    TermKind at(int query, int key);
}
