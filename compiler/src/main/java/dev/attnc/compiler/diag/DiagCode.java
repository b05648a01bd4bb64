package dev.attnc.compiler.diag;

import java.util.Locale;

/**
 * Every diagnostic attnc can report: a stable code, a severity and a message template
 * ({@link String#format} arguments). Tests assert the rendered strings, so changing a
 * template is a visible change. Codes are never reused.
 */
public enum DiagCode {
    // --- files and lexing --------------------------------------------------------------
    E001(Severity.ERROR, "cannot read file: %s"),
    E002(Severity.ERROR, "file is not UTF-8 text (%s)"),
    E003(Severity.ERROR, "file is too large: %d bytes (the limit is %d bytes)"),
    E004(Severity.ERROR, "unexpected character %s"),
    E005(Severity.ERROR, "syntax error: %s"),
    E006(Severity.ERROR, "nesting is too deep: more than %d open parentheses (simplify the expression)"),
    E007(Severity.ERROR, "number %s is too large (the limit is %d)"),
    E008(Severity.ERROR, "too many errors; stopped after %d"),
    E009(Severity.ERROR, "a range is written with '..', not '-'; did you mean '%s..%s'?"),

    // --- names and imports ---------------------------------------------------------------
    E010(Severity.ERROR, "duplicate pattern '%s' (first defined at %s)"),
    E011(Severity.ERROR, "unknown pattern '%s'%s"),
    E012(Severity.ERROR, "pattern '%s' refers to itself through %s"),
    E013(Severity.ERROR, "import cycle: %s"),
    E014(Severity.ERROR, "'%s' cannot be used as a pattern name: %s"),
    E015(Severity.ERROR, "unknown dtype '%s' (expected one of: fp32, fp16, bf16)%s"),
    E016(Severity.ERROR, "unknown word '%s': not a setting or a mask term%s"),
    E017(Severity.ERROR, "'%s' is not an attnc word; %s"),
    E018(Severity.ERROR, "'%s' is not supported yet: %s"),

    // --- settings --------------------------------------------------------------------------
    E020(Severity.ERROR, "'%s' is set twice (first at %s)"),
    E021(Severity.ERROR, "%s must be at least %d, not %d"),
    E022(Severity.ERROR, "head_dim is missing: every softmax pattern needs 'head_dim N'"),
    E023(Severity.ERROR, "scale must be a positive number, not %s"),
    E024(Severity.ERROR, "conflicting '%s': this pattern says %d but '%s' (used here) says %d"),
    E025(Severity.ERROR, "pattern '%s' has no mask terms: add one (e.g. 'window 256', 'causal', 'full') or 'additive'"),

    // --- terms -------------------------------------------------------------------------------
    E031(Severity.ERROR, "dilation must be at least 1, not %d"),
    E032(Severity.ERROR, "%s: the pattern has no block size; add 'block N'"),
    E033(
            Severity.ERROR,
            "a block window without a side is a total width in blocks and must be odd (own block plus the same number on each side), not %d"),
    E034(Severity.ERROR, "a window names at most one 'before' and one 'after' side; write 'window A before, B after'"),
    E035(Severity.ERROR, "mixed units in one window: both sides must be in tokens or both in blocks"),
    E036(Severity.ERROR, "dilation applies to token windows only, not to block windows"),
    E037(Severity.ERROR, "random block count must be at least 1, not %d"),
    E038(Severity.ERROR, "head_dim %d is not supported (expected 1 to %d)"),
    E039(Severity.ERROR, "global %s range %s is empty (its start lies after its end)"),
    E040(Severity.ERROR, "additive pooling cannot be combined with mask terms in one pattern (found %s)"),
    E041(Severity.ERROR, "option '%s' is given twice"),
    E042(Severity.ERROR, "'%s' is given twice in one global term"),
    E043(Severity.ERROR, "'%s' is given twice in one '%s' set"),
    E044(Severity.ERROR, "'%s' set: %s range %s is empty (its start lies after its end)"),

    // --- per-head and per-layer settings ----------------------------------------------------
    E049(
            Severity.ERROR,
            "'%s-%s' is not a range: '-' is set difference and needs a mask term on its right; a window is written 'window %s before, %s after' (or 'window %s each side'), indices as '[%s..%s]'"),
    E050(Severity.ERROR, "a per-%s list needs '%s N' in the pattern to check its length"),
    E051(Severity.ERROR, "per-%s list has %d values but the pattern has %d %s"),
    E052(Severity.ERROR, "%s %d is out of range: the pattern has %d %s (0..%d)"),
    E053(Severity.ERROR, "%s range %d..%d is empty (its start lies after its end)"),
    E054(Severity.ERROR, "nothing to override: the pattern has no %s term of its own"),
    E055(Severity.ERROR, "ambiguous override: the pattern has %d %s terms; keep one, or use separate patterns"),
    E056(Severity.ERROR, "a scoped override takes a single number, not a per-%s list"),
    E057(Severity.ERROR, "a scope over %s needs '%s N' in the pattern"),
    E070(
            Severity.ERROR,
            "kv_heads %d does not divide heads %d: query head h reads kv head h / (heads / kv_heads); use one of %s"),
    E071(Severity.ERROR, "kv_heads applies to softmax attention; additive pooling has no keys to share: remove it"),

    // --- score modifiers ---------------------------------------------------------------------
    E060(Severity.ERROR, "%s must be a positive number, not %s"),
    E061(Severity.ERROR, "'%s' modifies softmax scores; it cannot be combined with additive pooling"),

    // --- warnings ----------------------------------------------------------------------------
    W100(Severity.WARNING, "window of %d keys on a side is larger than any useful length (%d); this is full attention"),
    W101(Severity.WARNING, "global token %s is listed twice"),
    W102(Severity.WARNING, "this term is contained in '%s' and adds nothing to the union"),
    W103(Severity.WARNING, "random blocks have no seed; using seed 0"),
    W104(Severity.WARNING, "pattern '%s' attends nothing: every row will output 0"),
    W105(
            Severity.WARNING,
            "statements combine by union, so '%s' here allows %s whatever the other statements say; to restrict it, write '%s'"),
    W106(
            Severity.WARNING,
            "'%s' lets queries attend later keys, unlike the causal terms beside it in this union; if it should be causal too, write '%s'"),
    W107(Severity.WARNING, "token %s is listed twice in one '%s' set"),
    W110(
            Severity.WARNING,
            "statements combine by union, so 'segments from input' here allows every pair within a segment whatever the other terms say; to keep pairs within a segment, write '%s'");

    /** Windows and indices above this are rejected as numbers (2^30, far past any sequence). */
    public static final long MAX_NUMBER = 1L << 30;

    private final Severity severity;
    private final String template;

    DiagCode(Severity severity, String template) {
        this.severity = severity;
        this.template = template;
    }

    public Severity severity() {
        return severity;
    }

    public String template() {
        return template;
    }

    public String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
