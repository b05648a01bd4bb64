package dev.attnc.runtime.nn;

/**
 * The attention step of an encoder layer, up to (not including) its output dense: reads the
 * hidden states {@code [rows, hidden]} and writes the context {@code [rows, hidden]}.
 */
public interface AttentionBlock {

    /** {@code context = attention(hidden)} for the call's rows. */
    void forward(EncoderCall call, int layer, float[] hidden, float[] context);
}
