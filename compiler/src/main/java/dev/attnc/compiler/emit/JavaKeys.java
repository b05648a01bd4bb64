package dev.attnc.compiler.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.attnc.compiler.loops.Keys;
import dev.attnc.compiler.loops.Operand;

/**
 * The loop IR's key sets as Java code, built with JavaPoet by two {@link Keys.Visitor}s: the
 * body of {@code cover} (one {@code KeyCover} local per node, set operators over its operands'
 * locals) and the pair test of {@code maskTile} (one boolean expression over {@code i} and
 * {@code j}, reading the locals {@code pK}, {@code gK}, {@code rK} and {@code seg}).
 */
final class JavaKeys {

    static final ClassName COVER = ClassName.get("dev.attnc.runtime.kernel", "KeyCover");

    private JavaKeys() {}

    /**
     * The statements of {@code cover(c, first, stride, count)} after {@code int n = c.n}: the
     * key segments of {@code keys}, returned.
     */
    static CodeBlock cover(Keys keys) {
        Cover v = new Cover();
        CodeBlock result = keys.accept(v);
        return v.code.addStatement("return $L", result).build();
    }

    /** The pair test of {@code keys} as one boolean expression. */
    static CodeBlock mask(Keys keys) {
        return keys.accept(MASK_TOP);
    }

    /** A cover node's value: a constant, or the parameter's slot {@code c.p[K]}. */
    static CodeBlock slot(Operand o) {
        return o instanceof Operand.Slot s ? CodeBlock.of("c.p[$L]", s.index()) : CodeBlock.of("$L", o);
    }

    /** Adds one {@code KeyCover kN = …} statement per node; returns the node's local. */
    private static final class Cover implements Keys.Visitor<CodeBlock> {
        private final CodeBlock.Builder code = CodeBlock.builder();
        private int locals;

        @Override
        public CodeBlock window(Keys.Window w) {
            return local(CodeBlock.of(
                    "$T.window(n, first, stride, count, $L, $L, $L)",
                    COVER,
                    slot(w.before()),
                    slot(w.after()),
                    slot(w.dilation())));
        }

        @Override
        public CodeBlock blockWindow(Keys.BlockWindow w) {
            return local(CodeBlock.of(
                    "$T.blockWindow(n, first, stride, count, $L, $L, $L)",
                    COVER,
                    w.block(),
                    slot(w.before()),
                    slot(w.after())));
        }

        @Override
        public CodeBlock causal(Keys.Causal c) {
            return local(CodeBlock.of("$T.causal(n, first, stride, count)", COVER));
        }

        @Override
        public CodeBlock full(Keys.Full f) {
            return local(CodeBlock.of("$T.all(n)", COVER));
        }

        @Override
        public CodeBlock global(Keys.Global g) {
            return local(CodeBlock.of("$T.global(n, first, stride, count, c.g[$L])", COVER, g.slot()));
        }

        @Override
        public CodeBlock random(Keys.Random r) {
            return local(CodeBlock.of("$T.random(n, first, stride, count, $L, c.r[$L])", COVER, r.block(), r.slot()));
        }

        @Override
        public CodeBlock segments(Keys.Segments s) {
            return local(CodeBlock.of("$T.segments(n, first, stride, count, c.seg)", COVER));
        }

        @Override
        public CodeBlock tokenRange(Keys.TokenRange r) {
            String lo = r.lo().text(o -> slot(o).toString());
            String hi = r.hi().text(o -> slot(o).toString());
            return r.queries()
                    ? local(CodeBlock.of("$T.queryRange(n, first, stride, count, $L, $L)", COVER, lo, hi))
                    : local(CodeBlock.of("$T.keyRange(n, $L, $L)", COVER, lo, hi));
        }

        @Override
        public CodeBlock union(Keys.Union u) {
            CodeBlock acc = u.terms().get(0).accept(this);
            for (Keys t : u.terms().subList(1, u.terms().size())) {
                CodeBlock next = t.accept(this);
                acc = local(CodeBlock.of("$T.union($L, $L)", COVER, acc, next));
            }
            return acc;
        }

        @Override
        public CodeBlock intersect(Keys.Intersect x) {
            return binary("intersect", x.left(), x.right());
        }

        @Override
        public CodeBlock difference(Keys.Difference x) {
            return binary("difference", x.left(), x.right());
        }

        private CodeBlock binary(String op, Keys left, Keys right) {
            CodeBlock l = left.accept(this);
            CodeBlock r = right.accept(this);
            return local(CodeBlock.of("$T.$L($L, $L)", COVER, op, l, r));
        }

        private CodeBlock local(CodeBlock value) {
            CodeBlock name = CodeBlock.of("k$L", locals++);
            code.addStatement("$T $L = $L", COVER, name, value);
            return name;
        }
    }

    private static final Keys.Visitor<CodeBlock> MASK_TOP = new Mask(false);
    private static final Keys.Visitor<CodeBlock> MASK_NESTED = new Mask(true);

    /**
     * The pair test; {@code nested}: an operand of {@code &&}, {@code ||} or {@code !}, in
     * parentheses unless it is one call or comparison.
     */
    private record Mask(boolean nested) implements Keys.Visitor<CodeBlock> {
        @Override
        public CodeBlock window(Keys.Window w) {
            Operand d = w.dilation();
            if (d.isConst(1)) {
                return wrap(CodeBlock.of("j - i >= $L && j - i <= $L", Operand.negated(w.before()), w.after()));
            }
            return wrap(CodeBlock.of(
                    "(j - i) % $L == 0 && j - i >= -$L && j - i <= $L",
                    d, Operand.product(w.before(), d), Operand.product(w.after(), d)));
        }

        @Override
        public CodeBlock blockWindow(Keys.BlockWindow w) {
            CodeBlock lowest = w.before().isConst(0) ? CodeBlock.of("") : CodeBlock.of(" - $L", w.before());
            CodeBlock highest = w.after().isConst(0) ? CodeBlock.of("") : CodeBlock.of(" + $L", w.after());
            return wrap(CodeBlock.of("j / $1L >= i / $1L$2L && j / $1L <= i / $1L$3L", w.block(), lowest, highest));
        }

        @Override
        public CodeBlock causal(Keys.Causal c) {
            return CodeBlock.of("j <= i");
        }

        @Override
        public CodeBlock full(Keys.Full f) {
            return CodeBlock.of("true");
        }

        @Override
        public CodeBlock global(Keys.Global g) {
            return wrap(CodeBlock.of("g$1L.contains(i) || g$1L.contains(j)", g.slot()));
        }

        @Override
        public CodeBlock random(Keys.Random r) {
            return CodeBlock.of("r$1L.has(i / $2L, j / $2L)", r.slot(), r.block());
        }

        @Override
        public CodeBlock segments(Keys.Segments s) {
            return CodeBlock.of("seg.same(i, j)");
        }

        @Override
        public CodeBlock union(Keys.Union u) {
            return wrap(CodeBlock.join(
                    u.terms().stream().map(t -> t.accept(MASK_NESTED)).toList(), " || "));
        }

        @Override
        public CodeBlock intersect(Keys.Intersect x) {
            return wrap(CodeBlock.of(
                    "$L && $L", x.left().accept(MASK_NESTED), x.right().accept(MASK_NESTED)));
        }

        @Override
        public CodeBlock difference(Keys.Difference x) {
            return wrap(CodeBlock.of(
                    "$L && !($L)", x.left().accept(MASK_NESTED), x.right().accept(MASK_NESTED)));
        }

        @Override
        public CodeBlock tokenRange(Keys.TokenRange r) {
            return wrap(CodeBlock.of("$L", r.test(Operand::toString)));
        }

        private CodeBlock wrap(CodeBlock e) {
            return nested ? CodeBlock.of("($L)", e) : e;
        }
    }
}
