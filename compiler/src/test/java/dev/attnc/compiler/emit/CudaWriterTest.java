package dev.attnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CudaWriterTest {

    @Test
    void formatsFillPlaceholdersInOrder() {
        assertEquals("f(a, 2);", CudaWriter.format("$L($L, $L);", "f", "a", 2));
        assertEquals("$5 costs $L", CudaWriter.format("$$$L costs $$L", 5));
        assertThrows(IllegalArgumentException.class, () -> CudaWriter.format("$L $L", "one"));
        assertThrows(IllegalArgumentException.class, () -> CudaWriter.format("$L", "one", "two"));
        assertThrows(IllegalArgumentException.class, () -> CudaWriter.format("$S", "one"));
    }

    @Test
    void plainLinesAreNotFormats() {
        assertEquals("// costs $L\n", new CudaWriter().comment("costs $L").toString());
    }

    @Test
    void aLineInPiecesTakesTheIndentOnce() {
        CudaWriter w = new CudaWriter().open("void f()");
        w.add("return ").add("$L", 1).add(" + ").end("$L;", 2);
        w.declare("int", List.of("a", "b")).declare("int", List.of());
        assertEquals(
                "void f() {\n    return 1 + 2;\n    int a, b;\n}\n", w.close().toString());
    }

    @Test
    void anUnendedLineIsAnError() {
        CudaWriter w = new CudaWriter().add("return x");
        assertThrows(IllegalStateException.class, () -> w.line("y;"));
        assertThrows(IllegalStateException.class, w::toString);
    }
}
