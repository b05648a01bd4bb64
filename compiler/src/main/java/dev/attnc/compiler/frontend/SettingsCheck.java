package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Ident;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.runtime.cuda.CudaDtype;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a pattern's settings: each at most once (E020), counts at least 1 (E021, also
 * {@code kv_heads}; how it fits {@code heads} is {@link TermCheck}'s),
 * {@code head_dim} present (E022) and within {@code 1..MAX_HEAD_DIM} (E038), a positive scale
 * (E023), known dtypes (E015) named once (E041).
 */
final class SettingsCheck {

    /** The largest head dimension a kernel is generated for. */
    static final int MAX_HEAD_DIM = 1024;

    private SettingsCheck() {}

    static void check(PatternDecl p, Diagnostics diags) {
        Map<String, Setting> seen = new HashMap<>();
        for (Setting s : p.settings()) {
            Setting prev = seen.putIfAbsent(s.keyword(), s);
            if (prev != null) {
                diags.report(DiagCode.E020, s.span(), s.keyword(), prev.span().location());
                continue;
            }
            if (s instanceof Setting.HeadDim h
                    && (h.value().value() < 1 || h.value().value() > MAX_HEAD_DIM)) {
                diags.report(DiagCode.E038, h.value().span(), h.value().value(), MAX_HEAD_DIM);
            } else if (s instanceof Setting.Heads h && h.value().value() < 1) {
                diags.report(
                        DiagCode.E021, h.value().span(), "heads", 1, h.value().value());
            } else if (s instanceof Setting.KvHeads k && k.value().value() < 1) {
                diags.report(
                        DiagCode.E021,
                        k.value().span(),
                        "kv_heads",
                        1,
                        k.value().value());
            } else if (s instanceof Setting.Layers l && l.value().value() < 1) {
                diags.report(
                        DiagCode.E021, l.value().span(), "layers", 1, l.value().value());
            } else if (s instanceof Setting.Block b && b.value().value() < 1) {
                diags.report(
                        DiagCode.E021, b.value().span(), "block", 1, b.value().value());
            } else if (s instanceof Setting.Scale sc && !(sc.value() > 0 && Double.isFinite(sc.value()))) {
                diags.report(DiagCode.E023, s.span(), sc.text());
            } else if (s instanceof Setting.Dtype d) {
                Set<String> names = new HashSet<>();
                for (Ident id : d.names()) {
                    if (CudaDtype.parse(id.text()).isEmpty()) {
                        diags.report(DiagCode.E015, id.span(), id.text(), dtypeHint(id.text()));
                    } else if (!names.add(id.text())) {
                        diags.report(DiagCode.E041, id.span(), id.text());
                    }
                }
            }
        }
        if (PatternSettings.of(p).headDim().isEmpty()) {
            diags.report(DiagCode.E022, p.name().span());
        }
    }

    /** Other tools' names of the dtypes (PyTorch, NumPy, CUDA), with the attnc spelling. */
    private static final Map<String, String> DTYPE_ALIASES = Map.ofEntries(
            Map.entry("f16", "fp16"),
            Map.entry("float16", "fp16"),
            Map.entry("half", "fp16"),
            Map.entry("__half", "fp16"),
            Map.entry("f32", "fp32"),
            Map.entry("float32", "fp32"),
            Map.entry("float", "fp32"),
            Map.entry("bfloat16", "bf16"),
            Map.entry("bf", "bf16"),
            Map.entry("__nv_bfloat16", "bf16"));

    /** {@code "; did you mean 'fp16'?"} for another tool's name of a dtype or a near miss, else {@code ""}. */
    static String dtypeHint(String word) {
        String alias = DTYPE_ALIASES.get(word.toLowerCase(java.util.Locale.ROOT));
        if (alias != null) {
            return "; attnc writes it '" + alias + "'";
        }
        return Suggestions.didYouMean(word, List.of("fp32", "fp16", "bf16"));
    }
}
