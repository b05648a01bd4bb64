package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.GlobalItem;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.IntLit;
import dev.attnc.compiler.ast.Value;
import java.util.stream.Collectors;

/** A text key of an expression without source positions, to compare terms as written. */
final class AstKey {

    private AstKey() {}

    static String of(Expr e) {
        if (e instanceof Expr.Union u) {
            return "(" + of(u.left()) + "|" + of(u.right()) + ")";
        } else if (e instanceof Expr.Intersect x) {
            return "(" + of(x.left()) + "&" + of(x.right()) + ")";
        } else if (e instanceof Expr.Difference x) {
            return "(" + of(x.left()) + "-" + of(x.right()) + ")";
        } else if (e instanceof Expr.Window w) {
            return "window " + w.extents().stream().map(AstKey::extent).collect(Collectors.joining(","))
                    + w.dilation().map(v -> " dilation " + value(v)).orElse("");
        } else if (e instanceof Expr.Global g) {
            return "global " + g.items().stream().map(AstKey::item).collect(Collectors.joining(","));
        } else if (e instanceof Expr.TokenSet t) {
            return t.word() + " " + t.items().stream().map(AstKey::item).collect(Collectors.joining(","));
        } else if (e instanceof Expr.Random r) {
            return "random " + value(r.count()) + " seed "
                    + r.seed().map(IntLit::value).orElse(0L);
        } else if (e instanceof Expr.Segments) {
            return "segments";
        } else if (e instanceof Expr.Ref r) {
            return "ref " + r.name().text();
        }
        return e.getClass().getSimpleName();
    }

    private static String extent(Extent x) {
        return value(x.amount()) + (x.blocks() ? "b" : "") + ":" + x.side();
    }

    private static String item(GlobalItem i) {
        if (i instanceof GlobalItem.Tokens t) {
            return "tokens" + t.indices().stream().map(IndexRange::toString).toList();
        } else if (i instanceof GlobalItem.Blocks b) {
            return "blocks" + b.indices().stream().map(IndexRange::toString).toList();
        } else if (i instanceof GlobalItem.First f) {
            return "first " + value(f.count()) + (f.blocks() ? "b" : "");
        } else if (i instanceof GlobalItem.Last l) {
            return "last " + value(l.count()) + (l.blocks() ? "b" : "");
        }
        return "input";
    }

    private static String value(Value v) {
        if (v instanceof Value.Const c) {
            return Long.toString(c.value().value());
        } else if (v instanceof Value.PerLayer l) {
            return l.values().stream().map(x -> Long.toString(x.value())).toList() + "/layer";
        }
        return ((Value.PerHead) v)
                        .values().stream().map(x -> Long.toString(x.value())).toList() + "/head";
    }
}
