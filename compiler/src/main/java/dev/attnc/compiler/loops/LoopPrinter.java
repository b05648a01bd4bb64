package dev.attnc.compiler.loops;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop IR as text ({@code attnc compile --dump=loops}): the loop nest every softmax
 * kernel runs, with this pattern's slots, key sets and schedule filled in. Deterministic.
 */
public final class LoopPrinter {

    private LoopPrinter() {}

    public static String print(KernelPlan plan) {
        StringBuilder sb = new StringBuilder();
        if (plan instanceof KernelPlan.Additive a) {
            sb.append("kernel ")
                    .append(a.className())
                    .append("  (pattern ")
                    .append(a.pattern())
                    .append(", additive, d = ")
                    .append(a.headDim())
                    .append(", scale = ")
                    .append(a.scale())
                    .append(")\n");
            sb.append("parallel for b in 0 ..< B:\n");
            sb.append("  α[i,h] = softmax_i((")
                    .append(a.poolingMatrix() ? "W_qa[h]·q_i" : "w_q[h]·q_i[h]")
                    .append(" + b_qa[h])·scale) over valid i;  g_q[h] = Σ_i α[i,h]·q_i[h]\n");
            sb.append("  β[i,h] = softmax_i((")
                    .append(a.poolingMatrix() ? "W_ka[h]·p_i" : "w_k[h]·p_i[h]")
                    .append(" + b_ka[h])·scale), p_i = g_q ⊙ k_i;  g_k[h] = Σ_i β[i,h]·p_i[h]\n");
            sb.append("parallel for (b, i) in B × n:\n");
            sb.append("  u = g_k ⊙ ")
                    .append(a.sharedValue() ? "q_i (value shared with the query)" : "v_i")
                    .append(";  out_i = W_r·u + b_r + q_i  (u without W_r; 0 for padding)\n");
            return sb.toString();
        }
        KernelPlan.Softmax p = (KernelPlan.Softmax) plan;
        int qt = p.schedule().queryTile();
        int kt = p.schedule().keyTile();
        sb.append("kernel ")
                .append(p.className())
                .append("  (pattern ")
                .append(p.pattern())
                .append(", d = ")
                .append(p.headDim())
                .append(", scale = ")
                .append(p.scale())
                .append(p.heads() > 0 ? ", heads = " + p.heads() : "")
                .append(p.layers() > 0 ? ", layers = " + p.layers() : "")
                .append(")\n");
        sb.append("schedule ").append(p.schedule()).append('\n');
        for (ParamSlot s : p.params()) {
            sb.append("slot p")
                    .append(s.index())
                    .append(" = ")
                    .append(s.role())
                    .append(": ")
                    .append(s.source())
                    .append('\n');
        }
        for (GlobalSlot g : p.globals()) {
            sb.append("global g")
                    .append(g.index())
                    .append(" = ")
                    .append(items(g.items()))
                    .append('\n');
        }
        for (RandomSlot r : p.randoms()) {
            sb.append("random r").append(r.index()).append(" = ");
            if (r instanceof RandomSlot.Seeded s) {
                List<String> w = new ArrayList<>();
                s.windows().forEach(x -> w.add("[" + x[0] + ", " + x[1] + "]"));
                sb.append(s.count())
                        .append(" blocks of ")
                        .append(s.block())
                        .append(" per query block, seed ")
                        .append(s.seed())
                        .append(", outside windows ")
                        .append(w)
                        .append(" and global blocks ")
                        .append(items(s.globalBlocks()));
            } else {
                sb.append("layout input, blocks of ").append(r.block());
            }
            sb.append('\n');
        }
        String stride = p.dilations().isEmpty() ? "1" : "lcm" + p.dilations();
        sb.append("parallel for (b, h, tile) in B × H × ceil(n / (")
                .append(qt)
                .append("·stride)), ")
                .append(p.schedule().grain())
                .append(" tiles per task:      stride = ")
                .append(stride)
                .append('\n');
        sb.append("  for res in 0 ..< stride:      rows = tile·")
                .append(qt)
                .append("·stride + res + stride·[0, ")
                .append(qt)
                .append(")\n");
        sb.append("    keys = ")
                .append(KeysText.cover(p.keys()))
                .append("      # disjoint segments, full or partial\n");
        sb.append("    for chunk of ≤ ").append(kt).append(" keys in keys, padding left out:\n");
        sb.append("      Kt[d, ").append(kt).append("] = K panels in place (contiguous chunks) or gathered\n");
        int rows = p.schedule().rows();
        int vecs = p.schedule().vectors();
        int bits = p.schedule().vectorBits();
        sb.append("      for ")
                .append(rows)
                .append(
                        " rows r in rows (the last block the rest):   # only the keys r's own cover reaches, in partial chunks\n");
        sb.append("        S[r, chunk] = scale · Q[r] · Kt                  # broadcast FMA, ")
                .append(rows)
                .append(" rows × ")
                .append(vecs)
                .append(" vectors of ")
                .append(bits)
                .append(" bits\n");
        sb.append("        if chunk is partial: S[¬mask] = -inf     mask(i, j) = ")
                .append(KeysText.mask(p.keys()))
                .append('\n');
        sb.append("        m, l, O[r] = online softmax(m, l, O[r], S[r])   # log2 units, lazy maximum\n");
        sb.append("        O[r] += P[r, chunk] · V[chunk]                  # ")
                .append(rows)
                .append(" rows × ")
                .append(vecs)
                .append(" vectors of d\n");
        sb.append("    out[rows] = O / l   (0 for padding and rows with no key)\n");
        if (!p.globals().isEmpty()) {
            sb.append("    with qg, kg, vg: global rows of ")
                    .append(p.globals().size() == 1 ? "g0" : "any g")
                    .append(" again over every valid key, from qg, kg, vg\n");
        }
        return sb.toString();
    }

    private static String items(List<GlobalItem> items) {
        List<String> out = new ArrayList<>();
        for (GlobalItem it : items) {
            if (it instanceof GlobalItem.Tokens t) {
                out.add(t.from() == t.to() ? "token " + t.from() : "tokens " + t.from() + ".." + t.to());
            } else if (it instanceof GlobalItem.Blocks b) {
                out.add("blocks " + b.from() + ".." + b.to() + " of " + b.block());
            } else if (it instanceof GlobalItem.First f) {
                out.add("first " + f.count() + (f.block() > 0 ? " blocks of " + f.block() : " tokens"));
            } else if (it instanceof GlobalItem.Last l) {
                out.add("last " + l.count() + (l.block() > 0 ? " blocks of " + l.block() : " tokens"));
            } else {
                out.add("global_mask input");
            }
        }
        return String.join(", ", out);
    }
}
