package dev.attnc.compiler.inspect;

import dev.attnc.compiler.ir.GlobalPart;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.runtime.RandomBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key set of each query row of a mask, from the IR alone, in O(terms) per row for
 * windows, causal, full and block windows (interval arithmetic), with global sets resolved
 * once and random blocks drawn once per query block. Built for one {@link MaskBindings}.
 */
public final class RowEvaluator {

    private final Node root;
    private final int n;
    /** Every key, one object for the whole mask (so unions recognise it). */
    private final SharedKeys all;

    private RowEvaluator(MaskExpr mask, MaskBindings b) {
        this.n = b.n();
        this.all = new SharedKeys(RowSet.interval(0, n));
        this.root = mask.accept(new Builder(b));
    }

    public static RowEvaluator of(MaskExpr mask, MaskBindings b) {
        return new RowEvaluator(mask, b);
    }

    public int n() {
        return n;
    }

    /** The keys query row {@code i} attends. */
    RowSet row(int i) {
        return root.row(i);
    }

    /** How many keys query row {@code i} attends. */
    public long rowCount(int i) {
        return root.row(i).count();
    }

    /**
     * Row {@code i} as keys shared with other rows ({@code shared}, may be null) plus keys of
     * this row alone ({@code local}, disjoint from {@code shared}).
     */
    record Split(SharedKeys shared, RowSet local) {
        long count() {
            return (shared == null ? 0 : shared.set().count()) + local.count();
        }
    }

    /** Row {@code i} split into shared and local keys (see {@link Split}). */
    Split split(int i) {
        return root.split(i);
    }

    private interface Node {
        RowSet row(int i);

        default Split split(int i) {
            return new Split(null, row(i));
        }
    }

    /** A term whose rows are shared key sets or nothing (a global term, full). */
    private record SharedNode(SharedKeys[] perRow, SharedKeys constant) implements Node {
        SharedKeys at(int i) {
            return constant != null ? constant : perRow[i];
        }

        @Override
        public RowSet row(int i) {
            return at(i).set();
        }

        @Override
        public Split split(int i) {
            return new Split(at(i), RowSet.EMPTY);
        }
    }

    /** A union whose operands' shared parts are kept apart when there is at most one of them. */
    private record UnionNode(List<Node> parts, SharedKeys all) implements Node {
        @Override
        public RowSet row(int i) {
            RowSet acc = RowSet.EMPTY;
            for (Node p : parts) {
                acc = acc.union(p.row(i));
            }
            return acc;
        }

        @Override
        public Split split(int i) {
            SharedKeys shared = null;
            RowSet local = RowSet.EMPTY;
            for (Node p : parts) {
                Split s = p.split(i);
                if (s.shared() == all) {
                    return s;
                }
                if (s.shared() != null && shared != null && s.shared() != shared) {
                    return new Split(null, row(i));
                }
                if (s.shared() != null) {
                    shared = s.shared();
                }
                local = local.union(s.local());
            }
            return new Split(shared, shared == null ? local : shared.subtractFrom(local));
        }
    }

    /** Each term's rows at the bindings' layer and head. */
    private final class Builder implements MaskExpr.Visitor<Node> {
        private final MaskBindings b;
        private final int layer;
        private final int head;

        Builder(MaskBindings b) {
            this.b = b;
            this.layer = b.layer();
            this.head = b.head();
        }

        @Override
        public Node union(MaskExpr.Union u) {
            return new UnionNode(u.terms().stream().map(t -> t.accept(this)).toList(), all);
        }

        @Override
        public Node intersect(MaskExpr.Intersect x) {
            Node l = x.left().accept(this);
            Node r = x.right().accept(this);
            return i -> {
                RowSet left = l.row(i);
                return left.isEmpty() ? left : left.intersect(r.row(i));
            };
        }

        @Override
        public Node difference(MaskExpr.Difference x) {
            Node l = x.left().accept(this);
            Node r = x.right().accept(this);
            return i -> {
                RowSet left = l.row(i);
                return left.isEmpty() ? left : left.minus(r.row(i));
            };
        }

        @Override
        public Node window(MaskExpr.Window w) {
            long before = w.before().at(layer, head);
            long after = w.after().at(layer, head);
            long d = w.dilation().at(layer, head);
            return i -> {
                long kMin = Math.max(-before, -(i / d));
                long kMax = Math.min(after, (n - 1 - i) / d);
                return kMax < kMin ? RowSet.EMPTY : RowSet.of(new Piece(i + kMin * d, kMax - kMin + 1, d));
            };
        }

        @Override
        public Node causal(MaskExpr.Causal c) {
            return i -> RowSet.interval(0, i + 1L);
        }

        @Override
        public Node full(MaskExpr.Full f) {
            return new SharedNode(null, all);
        }

        @Override
        public Node blockWindow(MaskExpr.BlockWindow w) {
            long blk = w.block();
            long nb = (n + blk - 1) / blk;
            long before = w.before().at(layer, head);
            long after = w.after().at(layer, head);
            return i -> {
                long qb = i / blk;
                long lo = Math.max(0, qb - before);
                long hi = Math.min(nb - 1, qb + after);
                return lo > hi ? RowSet.EMPTY : RowSet.interval(lo * blk, Math.min(n, (hi + 1) * blk));
            };
        }

        @Override
        public Node global(MaskExpr.Global g) {
            boolean[] set = GlobalSets.tokens(g.parts(), b);
            SharedKeys cols = new SharedKeys(GlobalSets.intervals(set));
            SharedKeys[] perRow = new SharedKeys[n];
            for (int i = 0; i < n; i++) {
                perRow[i] = set[i] ? all : cols;
            }
            return new SharedNode(perRow, null);
        }

        @Override
        public Node randomBlocks(MaskExpr.RandomBlocks r) {
            return RowEvaluator.this.randomBlocks(r, b);
        }

        @Override
        public Node randomLayout(MaskExpr.RandomLayout r) {
            return layout(r.block(), b);
        }

        @Override
        public Node segments(MaskExpr.Segments s) {
            int[] ids = b.segmentIds();
            if (ids == null) {
                return new SharedNode(null, all);
            }
            // One shared key set per segment: the runs of its tokens, gathered in one pass.
            Map<Integer, List<Piece>> runs = new HashMap<>();
            int start = 0;
            for (int i = 1; i <= n; i++) {
                if (i == n || ids[i] != ids[start]) {
                    runs.computeIfAbsent(ids[start], x -> new ArrayList<>()).add(Piece.interval(start, i));
                    start = i;
                }
            }
            Map<Integer, SharedKeys> byId = new HashMap<>();
            runs.forEach((id, pieces) -> byId.put(id, new SharedKeys(RowSet.of(pieces))));
            SharedKeys[] perRow = new SharedKeys[n];
            for (int i = 0; i < n; i++) {
                perRow[i] = byId.get(ids[i]);
            }
            return new SharedNode(perRow, null);
        }

        @Override
        public Node tokenSet(MaskExpr.TokenSet t) {
            boolean[] set = GlobalSets.tokens(GlobalSets.withPrefix(t.parts(), b), b);
            if (!t.queries()) {
                SharedKeys cols = new SharedKeys(GlobalSets.intervals(set));
                return new SharedNode(null, cols);
            }
            SharedKeys none = new SharedKeys(RowSet.EMPTY);
            SharedKeys[] perRow = new SharedKeys[n];
            for (int i = 0; i < n; i++) {
                perRow[i] = set[i] ? all : none;
            }
            return new SharedNode(perRow, null);
        }
    }

    private Node randomBlocks(MaskExpr.RandomBlocks r, MaskBindings b) {
        int blk = r.block();
        int nb = (n + blk - 1) / blk;
        int count = r.count().at(b.layer(), b.head());
        boolean[] globalBlocks = GlobalSets.blocks(r.excludeGlobals(), nb, b);
        long[][] sides = r.excludeWindows().stream()
                .map(w -> new long[] {
                    w.before().at(b.layer(), b.head()), w.after().at(b.layer(), b.head())
                })
                .toArray(long[][]::new);
        int[] globalRanges = ranges(globalBlocks);
        RowSet[] perBlock = new RowSet[nb];
        return i -> {
            int qb = i / blk;
            RowSet s = perBlock[qb];
            if (s == null) {
                if (globalBlocks[qb]) {
                    s = RowSet.EMPTY;
                } else {
                    int[] picks = RandomBlocks.choose(
                            r.seed(), b.layer(), b.head(), qb, nb, count, excludedRanges(qb, sides, globalRanges));
                    s = blocksToSet(picks, blk);
                }
                perBlock[qb] = s;
            }
            return s;
        };
    }

    /** Sorted, disjoint, inclusive block ranges of the set bits. */
    private static int[] ranges(boolean[] set) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < set.length; k++) {
            if (set[k] && (k == 0 || !set[k - 1])) {
                out.add(k);
            }
            if (set[k] && (k == set.length - 1 || !set[k + 1])) {
                out.add(k);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The blocks query block {@code qb} attends already (its windows and the global blocks), merged. */
    private static int[] excludedRanges(int qb, long[][] sides, int[] globalRanges) {
        long[][] all = new long[sides.length + globalRanges.length / 2][];
        for (int w = 0; w < sides.length; w++) {
            all[w] = new long[] {qb - sides[w][0], qb + sides[w][1]};
        }
        for (int g = 0; g < globalRanges.length / 2; g++) {
            all[sides.length + g] = new long[] {globalRanges[2 * g], globalRanges[2 * g + 1]};
        }
        Arrays.sort(all, (x, y) -> Long.compare(x[0], y[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] x : all) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && x[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], x[1]);
            } else {
                merged.add(new long[] {x[0], x[1]});
            }
        }
        int[] out = new int[merged.size() * 2];
        for (int k = 0; k < merged.size(); k++) {
            out[2 * k] = (int) Math.max(Integer.MIN_VALUE, merged.get(k)[0]);
            out[2 * k + 1] = (int) Math.min(Integer.MAX_VALUE, merged.get(k)[1]);
        }
        return out;
    }

    private Node layout(int blk, MaskBindings b) {
        int nb = (n + blk - 1) / blk;
        RowSet[] perBlock = new RowSet[nb];
        int[][] layout = b.layout();
        for (int qb = 0; qb < nb; qb++) {
            int[] row = layout != null && qb < layout.length ? layout[qb] : new int[0];
            perBlock[qb] = blocksToSet(
                    Arrays.stream(row)
                            .filter(kb -> kb >= 0 && kb < nb)
                            .distinct()
                            .sorted()
                            .toArray(),
                    blk);
        }
        return i -> perBlock[i / blk];
    }

    /** Sorted distinct blocks to merged token intervals. */
    private RowSet blocksToSet(int[] sortedBlocks, int blk) {
        List<Piece> out = new ArrayList<>();
        int k = 0;
        while (k < sortedBlocks.length) {
            int start = sortedBlocks[k];
            int end = start;
            while (k + 1 < sortedBlocks.length && sortedBlocks[k + 1] == end + 1) {
                end = sortedBlocks[++k];
            }
            k++;
            out.add(Piece.interval((long) start * blk, Math.min(n, ((long) end + 1) * blk)));
        }
        return RowSet.of(out);
    }

    /** Resolution of global parts at one length (shared with nothing else on purpose). */
    static final class GlobalSets {
        private GlobalSets() {}

        static boolean[] tokens(List<GlobalPart> parts, MaskBindings b) {
            int n = b.n();
            boolean[] set = new boolean[n];
            for (GlobalPart p : parts) {
                if (p instanceof GlobalPart.Tokens t) {
                    mark(set, resolve(t.from(), n), resolve(t.to(), n) + 1);
                } else if (p instanceof GlobalPart.Blocks bl) {
                    long nb = (n + bl.block() - 1) / bl.block();
                    mark(set, resolve(bl.from(), nb) * bl.block(), (resolve(bl.to(), nb) + 1) * bl.block());
                } else if (p instanceof GlobalPart.First f) {
                    long k = f.count().at(b.layer(), b.head());
                    mark(set, 0, f.block() == 0 ? k : k * f.block());
                } else if (p instanceof GlobalPart.Last l) {
                    long k = l.count().at(b.layer(), b.head());
                    long nb = l.block() == 0 ? 0 : (n + l.block() - 1) / l.block();
                    mark(set, l.block() == 0 ? n - k : (nb - k) * l.block(), n);
                } else {
                    for (int t : b.globalTokens()) {
                        if (t >= 0 && t < n) {
                            set[t] = true;
                        }
                    }
                }
            }
            return set;
        }

        /**
         * The parts of a keys or queries set with its run-time prefix ({@code from input}) as
         * the first {@code prefixLength} tokens of the bindings.
         */
        static List<GlobalPart> withPrefix(List<GlobalPart> parts, MaskBindings b) {
            return parts.stream()
                    .map(p -> p instanceof GlobalPart.FromInput
                            ? (GlobalPart) new GlobalPart.First(0, dev.attnc.compiler.ir.Param.of(b.prefixLength()))
                            : p)
                    .toList();
        }

        /** The block indices that block-level global parts select. */
        static boolean[] blocks(List<GlobalPart> parts, int nb, MaskBindings b) {
            boolean[] set = new boolean[nb];
            for (GlobalPart p : parts) {
                long from;
                long to;
                if (p instanceof GlobalPart.Blocks bl) {
                    from = resolve(bl.from(), nb);
                    to = resolve(bl.to(), nb);
                } else if (p instanceof GlobalPart.First f) {
                    from = 0;
                    to = f.count().at(b.layer(), b.head()) - 1L;
                } else if (p instanceof GlobalPart.Last l) {
                    from = nb - (long) l.count().at(b.layer(), b.head());
                    to = nb - 1L;
                } else {
                    continue;
                }
                for (long kb = Math.max(0, from); kb <= to && kb < nb; kb++) {
                    set[(int) kb] = true;
                }
            }
            return set;
        }

        static RowSet intervals(boolean[] set) {
            List<Piece> out = new ArrayList<>();
            int i = 0;
            while (i < set.length) {
                if (!set[i]) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < set.length && set[j]) {
                    j++;
                }
                out.add(Piece.interval(i, j));
                i = j;
            }
            return RowSet.of(out);
        }

        private static long resolve(long index, long size) {
            return index < 0 ? size + index : index;
        }

        private static void mark(boolean[] set, long from, long to) {
            for (long t = Math.max(0, from); t < to && t < set.length; t++) {
                set[(int) t] = true;
            }
        }
    }
}
