package dev.attnc.compiler.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

class InMemoryJavaCompilerTest {

    @Test
    void compilesAndLoadsAClassThatUsesTheVectorApi() throws Exception {
        String src = """
                package gen;
                import jdk.incubator.vector.FloatVector;
                import jdk.incubator.vector.VectorOperators;
                public final class Dot implements java.util.function.IntBinaryOperator {
                    public int applyAsInt(int a, int b) {
                        float[] x = new float[FloatVector.SPECIES_PREFERRED.length()];
                        java.util.Arrays.fill(x, a);
                        FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0);
                        return (int) v.mul((float) b).reduceLanes(VectorOperators.ADD);
                    }
                }
                """;
        ClassLoader loader = InMemoryJavaCompiler.system()
                .compile(Map.of("gen.Dot", src), getClass().getClassLoader());
        IntBinaryOperator dot = (IntBinaryOperator)
                loader.loadClass("gen.Dot").getDeclaredConstructor().newInstance();
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        assertEquals(3 * 4 * lanes, dot.applyAsInt(3, 4));
    }

    @Test
    void errorsNameTheLineAndNeverLoadHalfAClass() {
        CompilationException e = assertThrows(
                CompilationException.class,
                () -> InMemoryJavaCompiler.system()
                        .compile(Map.of("gen.Bad", "package gen;\npublic class Bad {\n  int x = \"no\";\n}\n"), null));
        assertTrue(e.getMessage().startsWith("generated code does not compile"), e.getMessage());
        assertTrue(e.getMessage().contains("gen/Bad.java:3: incompatible types"), e.getMessage());
    }
}
