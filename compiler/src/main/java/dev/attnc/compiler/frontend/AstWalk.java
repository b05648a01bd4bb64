package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Iterative traversal of mask expressions (no recursion, so long chains cannot overflow). */
public final class AstWalk {

    private AstWalk() {}

    /** Every node of {@code root} in pre-order, left to right. */
    public static List<Expr> preorder(Expr root) {
        List<Expr> out = new ArrayList<>();
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Expr e = stack.pop();
            out.add(e);
            if (e instanceof Expr.Union u) {
                stack.push(u.right());
                stack.push(u.left());
            } else if (e instanceof Expr.Intersect i) {
                stack.push(i.right());
                stack.push(i.left());
            } else if (e instanceof Expr.Difference d) {
                stack.push(d.right());
                stack.push(d.left());
            }
        }
        return out;
    }

    /** Every node of every statement, in source order. */
    public static List<Expr> preorder(List<Expr> statements) {
        List<Expr> out = new ArrayList<>();
        for (Expr s : statements) {
            out.addAll(preorder(s));
        }
        return out;
    }
}
