package dev.attnc.compiler.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.attnc.compiler.schedule.Schedule;
import javax.lang.model.element.Modifier;

/**
 * A softmax kernel's inner loops as Java: the nested {@code Micro} class of a generated kernel,
 * a {@code MicroKernel} specialised to its head dim and its schedule's register block
 * ({@code rows × vecs}) and vector width, every one a constant, so that the accumulators are
 * named locals, the head-dim loops have constant bounds, and the species is a
 * {@code static final} the JIT compiles to SIMD. Three methods, one template each, the same
 * arithmetic as the runtime's {@code GenericMicroKernel}:
 *
 * <ul>
 *   <li>{@code scores}: {@code rows × vecs} accumulators over keys, by broadcast FMA;</li>
 *   <li>{@code softmax}: the online-softmax step of each row (lazy maximum, {@code exp2});</li>
 *   <li>{@code pv}: {@code O += P·V}, {@code rows × vecs} accumulators over head-dim columns;
 *       columns past the last full block by one narrower block, then scalars.</li>
 * </ul>
 *
 * <p>A block of fewer rows (the tail of a row group) clamps its missing rows' offsets to its
 * last real row, as the runtime's does. {@link JavaEmitter} places the class in the kernel's file.
 */
final class JavaMicroKernelEmitter {

    private static final String KERNEL = "dev.attnc.runtime.kernel";
    private static final ClassName MICRO_KERNEL = ClassName.get(KERNEL, "MicroKernel");
    private static final ClassName VECTOR_MATH = ClassName.get(KERNEL, "VectorMath");
    private static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
    private static final ClassName VECTOR_SPECIES = ClassName.get("jdk.incubator.vector", "VectorSpecies");
    private static final ClassName VECTOR_OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
    private static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
    private static final TypeName FLOATS = TypeName.get(float[].class);
    private static final TypeName INTS = TypeName.get(int[].class);

    /** The nested class's name. */
    static final String NAME = "Micro";

    private JavaMicroKernelEmitter() {}

    /** {@code static final class Micro implements MicroKernel} for heads of {@code headDim} and {@code s}. */
    static TypeSpec micro(int headDim, Schedule s) {
        Shape sh = new Shape(headDim, s.rows(), s.vectors(), s.lanes());
        TypeSpec.Builder t = TypeSpec.classBuilder(NAME)
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(MICRO_KERNEL)
                .addJavadoc(
                        "The inner loops of this kernel: register blocks of $L rows × $L vectors of $L bits ($L floats),\n"
                                + "head dim $L, all constants (compare {@code GenericMicroKernel}, the runtime's generic twin).\n",
                        sh.rows,
                        sh.vecs,
                        s.vectorBits(),
                        sh.lanes,
                        headDim);
        t.addField(FieldSpec.builder(
                        ParameterizedTypeName.get(VECTOR_SPECIES, ClassName.get(Float.class)),
                        "S",
                        Modifier.PRIVATE,
                        Modifier.STATIC,
                        Modifier.FINAL)
                .initializer("$T.SPECIES_$L", FLOAT_VECTOR, s.vectorBits())
                .build());
        constant(t, "L", sh.lanes, "Floats per vector.");
        constant(t, "D", headDim, "The head dim.");
        constant(t, "ROWS", sh.rows, "Query rows per register block.");
        constant(
                t,
                "KEYS",
                sh.keys(),
                "Keys per register block of the scores (and per K panel): " + sh.vecs + " vectors.");
        t.addMethod(getter("headDim", "D"));
        t.addMethod(getter("rows", "ROWS"));
        t.addMethod(getter("keys", "KEYS"));
        t.addMethod(getter("vectorBits", Integer.toString(s.vectorBits())));
        t.addMethod(scores(sh));
        t.addMethod(softmax(sh));
        t.addMethod(pv(sh));
        return t.build();
    }

    /** The sizes of the register block: {@code rows × vecs} vectors of {@code lanes} floats, head dim {@code d}. */
    private record Shape(int d, int rows, int vecs, int lanes) {
        int keys() {
            return vecs * lanes;
        }
    }

    private static void constant(TypeSpec.Builder t, String name, int value, String doc) {
        t.addField(FieldSpec.builder(int.class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", doc)
                .initializer("$L", value)
                .build());
    }

    private static MethodSpec getter(String name, String value) {
        return override(name)
                .returns(int.class)
                .addStatement("return $L", value)
                .build();
    }

    private static MethodSpec.Builder override(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    }

    /** {@code int <name>r = base + min(r, rows − 1)·unit} for rows 1..: offsets of clamped rows. */
    private static void rowOffsets(MethodSpec.Builder m, Shape sh, String name, String base, String unit) {
        m.addStatement("int $L0 = $L", name, base);
        for (int r = 1; r < sh.rows; r++) {
            String plus = base.equals("0") ? "" : base + " + ";
            m.addStatement("int $L$L = $LMath.min($L, rows - 1) * $L", name, r, plus, r, unit);
        }
    }

    /** A column bound: {@code D} when it is the head dim, else the number. */
    private static String bound(int x, Shape sh) {
        return x == sh.d ? "D" : Integer.toString(x);
    }

    private static String offset(String base, int lane) {
        return lane == 0 ? base : base + " + " + (lane == 1 ? "L" : lane + " * L");
    }

    // ---- scores -------------------------------------------------------------------------

    private static MethodSpec scores(Shape sh) {
        MethodSpec.Builder m = override("scores")
                .addParameter(int.class, "rows")
                .addParameter(FLOATS, "q")
                .addParameter(int.class, "qOff")
                .addParameter(FLOATS, "kt")
                .addParameter(int.class, "kOff")
                .addParameter(int.class, "blockStride")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "tFrom")
                .addParameter(int.class, "tTo")
                .addParameter(FLOATS, "s")
                .addParameter(int.class, "ld");
        rowOffsets(m, sh, "q", "qOff", "D");
        rowOffsets(m, sh, "s", "0", "ld");
        m.beginControlFlow("for (int t = tFrom; t < tTo; t += KEYS)");
        m.addStatement("int kb = kOff + t / KEYS * blockStride");
        for (int r = 0; r < sh.rows; r++) {
            for (int v = 0; v < sh.vecs; v++) {
                m.addStatement("$T a$L_$L = $T.zero(S)", FLOAT_VECTOR, r, v, FLOAT_VECTOR);
            }
        }
        m.beginControlFlow("for (int x = 0; x < D; x++)");
        m.addStatement("int kk = kb + x * xStride");
        for (int v = 0; v < sh.vecs; v++) {
            m.addStatement("$T k$L = $T.fromArray(S, kt, $L)", FLOAT_VECTOR, v, FLOAT_VECTOR, offset("kk", v));
        }
        for (int r = 0; r < sh.rows; r++) {
            m.addStatement("$T b$L = $T.broadcast(S, q[q$L + x])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
            for (int v = 0; v < sh.vecs; v++) {
                m.addStatement("a$L_$L = b$L.fma(k$L, a$L_$L)", r, v, r, v, r, v);
            }
        }
        m.endControlFlow();
        for (int r = 0; r < sh.rows; r++) {
            for (int v = 0; v < sh.vecs; v++) {
                m.addStatement("a$L_$L.intoArray(s, $L)", r, v, offset("s" + r + " + t", v));
            }
        }
        m.endControlFlow();
        return m.build();
    }

    // ---- softmax ------------------------------------------------------------------------

    private static MethodSpec softmax(Shape sh) {
        MethodSpec.Builder m = override("softmax")
                .addParameter(int.class, "rows")
                .addParameter(FLOATS, "s")
                .addParameter(int.class, "ld")
                .addParameter(int.class, "tFrom")
                .addParameter(int.class, "tTo")
                .addParameter(FLOATS, "m")
                .addParameter(FLOATS, "l")
                .addParameter(FLOATS, "o")
                .addParameter(int.class, "row0");
        m.beginControlFlow("for (int r = 0; r < rows; r++)");
        m.addStatement("int row = row0 + r");
        m.addStatement("int from = r * ld + tFrom");
        m.addStatement("int to = r * ld + tTo");
        m.addStatement("$T mx = $T.broadcast(S, Float.NEGATIVE_INFINITY)", FLOAT_VECTOR, FLOAT_VECTOR);
        m.beginControlFlow("for (int t = from; t < to; t += L)");
        m.addStatement("mx = mx.max($T.fromArray(S, s, t))", FLOAT_VECTOR);
        m.endControlFlow();
        m.addStatement("float chunkMax = mx.reduceLanes($T.MAX)", VECTOR_OPERATORS);
        m.addStatement("float old = m[row]");
        m.addStatement("float mr = old");
        m.addComment("Lazy rescaling: the reference maximum moves only when the chunk's exceeds it by STALE_MAX.");
        m.beginControlFlow(
                "if (chunkMax > old + STALE_MAX || (old == Float.NEGATIVE_INFINITY && chunkMax != Float.NEGATIVE_INFINITY))");
        m.addStatement("mr = chunkMax");
        m.addStatement("float alpha = $T.exp2(old - mr)", VECTOR_MATH);
        m.addStatement("int lr = row * L");
        m.addStatement("$T.fromArray(S, l, lr).mul(alpha).intoArray(l, lr)", FLOAT_VECTOR);
        m.addStatement("m[row] = mr");
        m.addStatement("int or = row * D");
        int vecEnd = sh.d / sh.lanes * sh.lanes;
        if (vecEnd > 0) {
            m.beginControlFlow("for (int x = 0; x < $L; x += L)", bound(vecEnd, sh));
            m.addStatement("$T.fromArray(S, o, or + x).mul(alpha).intoArray(o, or + x)", FLOAT_VECTOR);
            m.endControlFlow();
        }
        if (vecEnd < sh.d) {
            m.beginControlFlow("for (int x = $L; x < D; x++)", vecEnd);
            m.addStatement("o[or + x] *= alpha");
            m.endControlFlow();
        }
        m.endControlFlow();
        m.beginControlFlow("if (mr == Float.NEGATIVE_INFINITY)");
        m.addStatement("$T.fill(s, from, to, 0f)", ARRAYS);
        m.addStatement("continue");
        m.endControlFlow();
        m.addStatement("$T mv = $T.broadcast(S, mr)", FLOAT_VECTOR, FLOAT_VECTOR);
        m.addComment(
                "The row's sum stays in lanes (l[row·L ..]): no reduction whose order the Vector API leaves open.");
        m.addStatement("$T sum = $T.fromArray(S, l, row * L)", FLOAT_VECTOR, FLOAT_VECTOR);
        m.beginControlFlow("for (int t = from; t < to; t += L)");
        m.addStatement("$T p = $T.exp2($T.fromArray(S, s, t).sub(mv))", FLOAT_VECTOR, VECTOR_MATH, FLOAT_VECTOR);
        m.addStatement("p.intoArray(s, t)");
        m.addStatement("sum = sum.add(p)");
        m.endControlFlow();
        m.addStatement("sum.intoArray(l, row * L)");
        m.endControlFlow();
        return m.build();
    }

    // ---- P·V ----------------------------------------------------------------------------

    private static MethodSpec pv(Shape sh) {
        MethodSpec.Builder m = override("pv")
                .addParameter(int.class, "rows")
                .addParameter(FLOATS, "o")
                .addParameter(int.class, "oOff")
                .addParameter(FLOATS, "p")
                .addParameter(int.class, "ld")
                .addParameter(FLOATS, "v")
                .addParameter(int.class, "headBase")
                .addParameter(int.class, "tokenStride")
                .addParameter(INTS, "keys")
                .addParameter(int.class, "tFrom")
                .addParameter(int.class, "tTo");
        rowOffsets(m, sh, "o", "oOff", "D");
        rowOffsets(m, sh, "p", "0", "ld");
        int block = sh.vecs * sh.lanes;
        int blocksEnd = sh.d / block * block;
        if (blocksEnd > 0) {
            m.addComment("Columns 0..$L: blocks of $L vectors.", blocksEnd, sh.vecs);
            m.beginControlFlow("for (int x = 0; x < $L; x += $L)", bound(blocksEnd, sh), block);
            pvBlock(m, sh, sh.vecs);
            m.endControlFlow();
        }
        int tailVecs = (sh.d - blocksEnd) / sh.lanes;
        if (tailVecs > 0) {
            m.addComment(
                    "Columns $L..$L: one block of $L vectors.", blocksEnd, blocksEnd + tailVecs * sh.lanes, tailVecs);
            m.addCode("{\n$>");
            m.addStatement("int x = $L", blocksEnd);
            pvBlock(m, sh, tailVecs);
            m.addCode("$<}\n");
        }
        int vecEnd = blocksEnd + tailVecs * sh.lanes;
        if (vecEnd < sh.d) {
            m.addComment("Columns $L..$L: scalars.", vecEnd, sh.d);
            m.beginControlFlow("for (int r = 0; r < rows; r++)");
            m.beginControlFlow("for (int x = $L; x < D; x++)", vecEnd);
            m.addStatement("float acc = o[oOff + r * D + x]");
            m.beginControlFlow("for (int t = tFrom; t < tTo; t++)");
            m.addStatement("acc = Math.fma(p[r * ld + t], v[headBase + keys[t] * tokenStride + x], acc)");
            m.endControlFlow();
            m.addStatement("o[oOff + r * D + x] = acc");
            m.endControlFlow();
            m.endControlFlow();
        }
        return m.build();
    }

    /** One register block of {@code P·V}: {@code rows × vecs} accumulators over columns {@code x ..}. */
    private static void pvBlock(MethodSpec.Builder m, Shape sh, int vecs) {
        for (int r = 0; r < sh.rows; r++) {
            for (int v = 0; v < vecs; v++) {
                m.addStatement(
                        "$T c$L_$L = $T.fromArray(S, o, $L)",
                        FLOAT_VECTOR,
                        r,
                        v,
                        FLOAT_VECTOR,
                        offset("o" + r + " + x", v));
            }
        }
        m.beginControlFlow("for (int t = tFrom; t < tTo; t++)");
        m.addStatement("int vv = headBase + keys[t] * tokenStride + x");
        for (int v = 0; v < vecs; v++) {
            m.addStatement("$T v$L = $T.fromArray(S, v, $L)", FLOAT_VECTOR, v, FLOAT_VECTOR, offset("vv", v));
        }
        for (int r = 0; r < sh.rows; r++) {
            m.addStatement("$T b$L = $T.broadcast(S, p[p$L + t])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
            for (int v = 0; v < vecs; v++) {
                m.addStatement("c$L_$L = b$L.fma(v$L, c$L_$L)", r, v, r, v, r, v);
            }
        }
        m.endControlFlow();
        for (int r = 0; r < sh.rows; r++) {
            for (int v = 0; v < vecs; v++) {
                m.addStatement("c$L_$L.intoArray(o, $L)", r, v, offset("o" + r + " + x", v));
            }
        }
    }
}
