package dev.attnc.compiler.loops;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.GlobalPart;
import dev.attnc.compiler.ir.MaskBlocks;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.Param;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;

/**
 * Pattern IR + schedule → loop IR. Requires a checked pattern; guarantees that every
 * parameter is a constant or a numbered slot, every global term a numbered global set, every
 * random term a numbered table, in the order a left-to-right walk of the mask meets them (so
 * the output is deterministic).
 */
public final class Lowering {

    private final List<ParamSlot> params = new ArrayList<>();
    private final List<GlobalSlot> globals = new ArrayList<>();
    private final List<RandomSlot> randoms = new ArrayList<>();
    private final List<Operand> dilations = new ArrayList<>();

    private Lowering() {}

    public static KernelPlan apply(PatternIR p, Schedule schedule) {
        String cls = className(p.name());
        if (p.attention() instanceof Attention.Additive a) {
            return new KernelPlan.Additive(
                    p.name(),
                    cls,
                    p.headDim(),
                    p.effectiveScale(),
                    p.heads().orElse(0),
                    a.sharedValue(),
                    a.poolingMatrix(),
                    p.origin(),
                    p.sourceText());
        }
        Lowering l = new Lowering();
        Keys keys = p.mask().accept(l.new Terms());
        return new KernelPlan.Softmax(
                p.name(),
                cls,
                p.headDim(),
                p.effectiveScale(),
                p.heads().orElse(0),
                p.kvHeads().orElse(0),
                p.layers().orElse(0),
                schedule,
                l.params,
                l.globals,
                l.randoms,
                keys,
                l.dilations,
                MaskBlocks.layout(p.mask()),
                p.origin(),
                p.sourceText(),
                p.scoreMods());
    }

    /** {@code longformer_base} → {@code LongformerBaseKernel}. */
    public static String className(String pattern) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char ch : pattern.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.append("Kernel").toString();
    }

    /**
     * Each term to its key set; its parameters become operands and its global and random terms
     * slots, numbered in the order this visitor meets them (operands left to right).
     */
    private final class Terms implements MaskExpr.Visitor<Keys> {
        @Override
        public Keys union(MaskExpr.Union u) {
            List<Keys> terms = new ArrayList<>();
            for (MaskExpr t : u.terms()) {
                terms.add(t.accept(this));
            }
            return new Keys.Union(terms);
        }

        @Override
        public Keys intersect(MaskExpr.Intersect x) {
            return new Keys.Intersect(x.left().accept(this), x.right().accept(this));
        }

        @Override
        public Keys difference(MaskExpr.Difference x) {
            return new Keys.Difference(x.left().accept(this), x.right().accept(this));
        }

        @Override
        public Keys window(MaskExpr.Window w) {
            Operand before = operand(w.before(), "window before");
            Operand after = operand(w.after(), "window after");
            Operand dilation = operand(w.dilation(), "window dilation");
            if (!dilation.isConst(1) && !dilations.contains(dilation)) {
                dilations.add(dilation);
            }
            return new Keys.Window(before, after, dilation);
        }

        @Override
        public Keys blockWindow(MaskExpr.BlockWindow w) {
            return new Keys.BlockWindow(
                    w.block(), operand(w.before(), "block window before"), operand(w.after(), "block window after"));
        }

        @Override
        public Keys causal(MaskExpr.Causal c) {
            return new Keys.Causal();
        }

        @Override
        public Keys full(MaskExpr.Full f) {
            return new Keys.Full();
        }

        @Override
        public Keys global(MaskExpr.Global g) {
            int slot = globals.size();
            globals.add(new GlobalSlot(slot, items(g.parts(), false)));
            return new Keys.Global(slot);
        }

        @Override
        public Keys randomBlocks(MaskExpr.RandomBlocks r) {
            int slot = randoms.size();
            List<Operand[]> windows = new ArrayList<>();
            for (MaskExpr.BlockWindow w : r.excludeWindows()) {
                windows.add(new Operand[] {
                    operand(w.before(), "excluded block window before"),
                    operand(w.after(), "excluded block window after")
                });
            }
            randoms.add(new RandomSlot.Seeded(
                    slot,
                    r.block(),
                    operand(r.count(), "random blocks per row"),
                    r.seed(),
                    windows,
                    items(r.excludeGlobals(), true)));
            return new Keys.Random(r.block(), slot);
        }

        @Override
        public Keys tokenSet(MaskExpr.TokenSet t) {
            List<Keys> ranges = new ArrayList<>();
            for (GlobalPart part : t.parts()) {
                ranges.add(range(t.queries(), part));
            }
            return ranges.size() == 1 ? ranges.get(0) : new Keys.Union(ranges);
        }

        @Override
        public Keys randomLayout(MaskExpr.RandomLayout r) {
            int slot = randoms.size();
            randoms.add(new RandomSlot.Layout(slot, r.block()));
            return new Keys.Random(r.block(), slot);
        }

        @Override
        public Keys segments(MaskExpr.Segments s) {
            return new Keys.Segments();
        }
    }

    /** A part of a keys or queries set as the token range {@code [lo, hi)}, ends affine in {@code n} or a slot. */
    private Keys range(boolean queries, GlobalPart part) {
        if (part instanceof GlobalPart.Tokens t) {
            return range(
                    queries,
                    TokenBound.indexed(1, t.from(), t.from() < 0),
                    TokenBound.indexed(1, t.to() + 1, t.to() < 0));
        } else if (part instanceof GlobalPart.Blocks b) {
            return range(
                    queries,
                    TokenBound.indexed(b.block(), b.from(), b.from() < 0),
                    TokenBound.indexed(b.block(), b.to() + 1, b.to() < 0));
        } else if (part instanceof GlobalPart.First f) {
            int unit = Math.max(1, f.block());
            Operand count = operand(f.count(), queries ? "queries first" : "keys first");
            return range(queries, TokenBound.at(unit, 0), new TokenBound(unit, false, 0, count, false));
        } else if (part instanceof GlobalPart.Last l) {
            int unit = Math.max(1, l.block());
            Operand count = operand(l.count(), queries ? "queries last" : "keys last");
            return range(queries, new TokenBound(unit, true, 0, count, true), TokenBound.end());
        }
        return range(queries, TokenBound.at(1, 0), new TokenBound(1, false, 0, prefixSlot(), false));
    }

    private static Keys range(boolean queries, TokenBound lo, TokenBound hi) {
        return new Keys.TokenRange(queries, lo, hi);
    }

    /** The slot of the run-time prefix length, one per pattern. */
    private Operand prefixSlot() {
        for (ParamSlot s : params) {
            if (s.prefixInput()) {
                return new Operand.Slot(s.index());
            }
        }
        int index = params.size();
        params.add(ParamSlot.prefix(index));
        return new Operand.Slot(index);
    }

    /** Global parts as builder items; {@code asBlocks}: over block indices (random-block exclusion). */
    private List<GlobalItem> items(List<GlobalPart> parts, boolean asBlocks) {
        List<GlobalItem> out = new ArrayList<>();
        for (GlobalPart part : parts) {
            if (part instanceof GlobalPart.Tokens t) {
                out.add(new GlobalItem.Tokens(t.from(), t.to()));
            } else if (part instanceof GlobalPart.Blocks b) {
                out.add(
                        asBlocks
                                ? new GlobalItem.Tokens(b.from(), b.to())
                                : new GlobalItem.Blocks(b.block(), b.from(), b.to()));
            } else if (part instanceof GlobalPart.First f) {
                out.add(new GlobalItem.First(asBlocks ? 0 : f.block(), operand(f.count(), "global first")));
            } else if (part instanceof GlobalPart.Last l) {
                out.add(new GlobalItem.Last(asBlocks ? 0 : l.block(), operand(l.count(), "global last")));
            } else if (part instanceof GlobalPart.FromInput) {
                out.add(new GlobalItem.Input());
            }
        }
        return out;
    }

    private Operand operand(Param p, String role) {
        if (p.isConstant()) {
            return new Operand.Const(p.base());
        }
        for (ParamSlot s : params) {
            if (!s.prefixInput() && s.param().equals(p)) {
                return new Operand.Slot(s.index());
            }
        }
        int index = params.size();
        params.add(new ParamSlot(index, role, p));
        return new Operand.Slot(index);
    }
}
