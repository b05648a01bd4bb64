package dev.attnc.runtime.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types of a safetensors file, named exactly as the format spells them in a header's
 * {@code "dtype"}. Every constant here has a whole number of bytes per element; the sub-byte
 * types of recent safetensors versions ({@code F4}, {@code F6_E2M3}, {@code F6_E3M2}) are not
 * supported and {@link #parse} refuses them by name. Which types convert to {@code float} is
 * {@link #isFloatingPoint()}'s answer for {@link SafeTensors#floats}, and {@link #isInteger()}'s
 * for {@link SafeTensors#longs}.
 */
public enum DType {
    F64(8, Kind.FLOAT),
    F32(4, Kind.FLOAT),
    F16(2, Kind.FLOAT),
    BF16(2, Kind.FLOAT),
    /** 8-bit float, 4 exponent and 3 mantissa bits: stored and sized, not converted. */
    F8_E4M3(1, Kind.OTHER),
    /** 8-bit float, 5 exponent and 2 mantissa bits: stored and sized, not converted. */
    F8_E5M2(1, Kind.OTHER),
    /** 8-bit power-of-two scale: stored and sized, not converted. */
    F8_E8M0(1, Kind.OTHER),
    /** Complex with two 32-bit float parts: stored and sized, not converted. */
    C64(8, Kind.OTHER),
    I64(8, Kind.INTEGER),
    I32(4, Kind.INTEGER),
    I16(2, Kind.INTEGER),
    I8(1, Kind.INTEGER),
    U64(8, Kind.INTEGER),
    U32(4, Kind.INTEGER),
    U16(2, Kind.INTEGER),
    U8(1, Kind.INTEGER),
    /** One byte per element, zero is false. */
    BOOL(1, Kind.INTEGER);

    private enum Kind {
        FLOAT,
        INTEGER,
        OTHER
    }

    private static final String KNOWN = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

    private final int bytes;
    private final Kind kind;

    DType(int bytes, Kind kind) {
        this.bytes = bytes;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for F64, F32, F16 and BF16: the types {@link SafeTensors#floats} converts. */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /** True for the signed and unsigned integers and BOOL: the types {@link SafeTensors#longs} converts. */
    public boolean isInteger() {
        return kind == Kind.INTEGER;
    }

    /**
     * The type a header's {@code "dtype"} string names (case-sensitive, as the format writes it).
     *
     * @throws IllegalArgumentException naming the string and the known types, for anything else
     */
    public static DType parse(String text) {
        if (text != null) {
            for (DType t : values()) {
                if (t.name().equals(text)) {
                    return t;
                }
            }
        }
        String hint = switch (String.valueOf(text)) {
            case "F4", "F6_E2M3", "F6_E3M2" -> " (a sub-byte type, not supported)";
            default -> "";
        };
        throw new IllegalArgumentException("unknown dtype '" + text + "'" + hint + "; expected one of " + KNOWN);
    }
}
