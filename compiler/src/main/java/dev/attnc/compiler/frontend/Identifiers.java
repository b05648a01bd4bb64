package dev.attnc.compiler.frontend;

import java.util.Optional;
import java.util.Set;

/**
 * Pattern names become Java class names and C function names. The grammar already limits
 * them to ASCII letters, digits and underscores; this refuses the rest of what could break
 * or hijack generated code: Java, C, C++ and CUDA reserved words, names the C standard
 * reserves ({@code _X…}, {@code __…}), and names too long for a file name.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 64;

    private static final Set<String> RESERVED = Set.of(
            // Java
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "var",
            "yield",
            "record",
            "sealed",
            "permits",
            "non-sealed",
            "_",
            // C and C++
            "auto",
            "extern",
            "register",
            "signed",
            "sizeof",
            "struct",
            "typedef",
            "union",
            "unsigned",
            "inline",
            "restrict",
            "bool",
            "alignas",
            "alignof",
            "and",
            "and_eq",
            "asm",
            "bitand",
            "bitor",
            "compl",
            "concept",
            "consteval",
            "constexpr",
            "constinit",
            "const_cast",
            "co_await",
            "co_return",
            "co_yield",
            "decltype",
            "delete",
            "dynamic_cast",
            "explicit",
            "export",
            "friend",
            "mutable",
            "namespace",
            "noexcept",
            "not",
            "not_eq",
            "nullptr",
            "operator",
            "or",
            "or_eq",
            "reinterpret_cast",
            "requires",
            "static_assert",
            "static_cast",
            "template",
            "thread_local",
            "typeid",
            "typename",
            "using",
            "virtual",
            "wchar_t",
            "xor",
            "xor_eq",
            "char8_t",
            "char16_t",
            "char32_t",
            "main",
            // CUDA and the names generated code relies on
            "dim3",
            "half",
            "float2",
            "float4",
            "threadIdx",
            "blockIdx",
            "blockDim",
            "gridDim",
            "warpSize",
            "__global__",
            "__device__",
            "__shared__",
            "__host__",
            "nv_bfloat16",
            "__half",
            "wmma",
            "nvcuda",
            "NULL",
            "EOF",
            "errno",
            "stdin",
            "stdout",
            "stderr",
            "INFINITY",
            "NAN");

    private Identifiers() {}

    /** Why {@code name} cannot be a pattern name, or empty when it can. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty() || !isAsciiIdentifier(name)) {
            return Optional.of("only ASCII letters, digits and '_' are allowed, starting with a letter");
        }
        if (RESERVED.contains(name)) {
            return Optional.of("it is a reserved word in Java, C or CUDA");
        }
        if (name.startsWith("__")
                || (name.startsWith("_") && name.length() > 1 && Character.isUpperCase(name.charAt(1)))) {
            return Optional.of("names starting with '__' or '_' and a capital letter are reserved in C");
        }
        if (name.startsWith("_")) {
            return Optional.of("names must start with a letter");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("it is longer than " + MAX_LENGTH + " characters");
        }
        return Optional.empty();
    }

    private static boolean isAsciiIdentifier(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
