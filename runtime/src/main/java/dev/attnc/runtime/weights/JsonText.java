package dev.attnc.runtime.weights;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The JSON text of safetensors headers and sharded indexes: strict UTF-8 decoding that reports the
 * offset of a bad byte, a strict Gson reader (RFC 8259: no comments, unquoted names or NaN), and
 * Gson's positions ({@code line 1 column 17 path $.w.shape}) for our own messages.
 */
final class JsonText {

    /** The longest position or syntax message kept. */
    private static final int MAX_MESSAGE = 200;

    private JsonText() {}

    /**
     * The text of {@code bytes} as strict UTF-8.
     *
     * @param what what the bytes are, for the message ("header")
     * @param fileOffset where the bytes start in the file, for the message
     * @throws WeightsException naming the file and the offset of the first malformed byte
     */
    static String utf8(Path file, byte[] bytes, String what, long fileOffset) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw WeightsException.in(
                    file,
                    what + " is not valid UTF-8: malformed byte at " + what + " offset " + in.position()
                            + " (file offset " + (fileOffset + in.position()) + ")");
        }
        return out.flip().toString();
    }

    /** A strict reader over {@code text}. */
    static JsonReader reader(String text) {
        JsonReader r = new JsonReader(new StringReader(text));
        r.setStrictness(Strictness.STRICT);
        return r;
    }

    /**
     * Gson's message for a JSON syntax error, for a user rather than a Java programmer: without
     * its link to the troubleshooting guide or its advice to parse leniently.
     */
    static String syntaxError(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return clip(m.replace(
                "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON"));
    }

    /** Where the reader is: {@code "at line L column C path P"}. */
    static String where(JsonReader r) {
        String s = r.toString();
        int at = s.indexOf(" at line ");
        return clip(at >= 0 ? s.substring(at + 1) : "at path " + r.getPath());
    }

    /** Keeps a message readable when a deeply nested path would make it kilobytes long. */
    private static String clip(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }

    /**
     * Checks that the next value is of token {@code expected}, without consuming it.
     *
     * @param what what the value is, for the message (e.g. {@code "\"dtype\""})
     * @param error makes the exception from the message (adding the file and the tensor)
     * @throws WeightsException from {@code error}, saying what was found instead, and where
     */
    static void expect(JsonReader r, JsonToken expected, String what, Function<String, WeightsException> error)
            throws IOException {
        JsonToken found = r.peek();
        if (found != expected) {
            throw error.apply(what + " must be " + article(expected) + ", found " + article(found) + " " + where(r));
        }
    }

    private static String article(JsonToken t) {
        return switch (t) {
            case BEGIN_OBJECT -> "a JSON object";
            case BEGIN_ARRAY -> "a JSON array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case END_DOCUMENT -> "the end of the text";
            default -> t.toString();
        };
    }
}
