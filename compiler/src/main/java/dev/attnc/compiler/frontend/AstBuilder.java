package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.AdditiveOption;
import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.GlobalItem;
import dev.attnc.compiler.ast.Ident;
import dev.attnc.compiler.ast.ImportDecl;
import dev.attnc.compiler.ast.IndexRange;
import dev.attnc.compiler.ast.IntLit;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Scope;
import dev.attnc.compiler.ast.ScopedOverride;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.compiler.source.Span;
import dev.attnc.grammar.AttnParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the immutable AST from ANTLR's parse tree. This is the one place where the parse
 * tree is visited; nothing after it imports ANTLR. Numbers above {@link DiagCode#MAX_NUMBER}
 * are reported (E007) and clamped, so later passes never see an overflow.
 */
final class AstBuilder {

    private final SourceFile source;
    private final Diagnostics diags;

    AstBuilder(SourceFile source, Diagnostics diags) {
        this.source = source;
        this.diags = diags;
    }

    FileAst build(AttnParser.FileContext ctx) {
        List<ImportDecl> imports = new ArrayList<>();
        for (AttnParser.ImportDeclContext imp : ctx.importDecl()) {
            String raw = imp.path.getText();
            imports.add(new ImportDecl(unquote(raw.substring(1, raw.length() - 1)), span(imp.path)));
        }
        List<PatternDecl> patterns = new ArrayList<>();
        for (AttnParser.PatternContext p : ctx.pattern()) {
            patterns.add(pattern(p));
        }
        return new FileAst(source, imports, patterns);
    }

    private PatternDecl pattern(AttnParser.PatternContext ctx) {
        List<Setting> settings = new ArrayList<>();
        List<ScopedOverride> overrides = new ArrayList<>();
        List<Expr> statements = new ArrayList<>();
        for (AttnParser.StatementContext st : ctx.statement()) {
            if (st.setting() != null) {
                settings.add(setting(st.setting()));
            } else if (st.override() != null) {
                overrides.add(override(st.override()));
            } else {
                statements.add(expr(st.expr()));
            }
        }
        return new PatternDecl(
                ident(ctx.name),
                settings,
                overrides,
                statements,
                span(ctx.PATTERN().getSymbol()).to(span(ctx.name)));
    }

    // ---- settings ------------------------------------------------------------------------

    private Setting setting(AttnParser.SettingContext ctx) {
        Span sp = span(ctx);
        if (ctx instanceof AttnParser.HeadDimSettingContext c) {
            return new Setting.HeadDim(intLit(c.INT()), sp);
        } else if (ctx instanceof AttnParser.HeadsSettingContext c) {
            return new Setting.Heads(intLit(c.INT()), sp);
        } else if (ctx instanceof AttnParser.KvHeadsSettingContext c) {
            return new Setting.KvHeads(intLit(c.INT()), sp);
        } else if (ctx instanceof AttnParser.LayersSettingContext c) {
            return new Setting.Layers(intLit(c.INT()), sp);
        } else if (ctx instanceof AttnParser.BlockSettingContext c) {
            return new Setting.Block(intLit(c.INT()), sp);
        } else if (ctx instanceof AttnParser.ScaleSettingContext c) {
            String text = c.number().getText();
            return new Setting.Scale(Double.parseDouble(text), text, sp);
        } else if (ctx instanceof AttnParser.HeadScaleSettingContext c) {
            List<String> texts = c.number().stream().map(n -> n.getText()).toList();
            return new Setting.HeadScales(
                    texts.stream().map(Double::parseDouble).toList(),
                    texts,
                    span(c.LBRACK().getSymbol()).to(span(c.headWord())),
                    sp);
        } else if (ctx instanceof AttnParser.SoftcapSettingContext c) {
            String text = c.number().getText();
            return new Setting.Softcap(Double.parseDouble(text), text, sp);
        } else if (ctx instanceof AttnParser.AlibiSettingContext c) {
            List<String> texts = c.number().stream().map(n -> n.getText()).toList();
            return new Setting.Alibi(
                    texts.stream().map(Double::parseDouble).toList(),
                    texts,
                    c.LBRACK() == null
                            ? java.util.Optional.empty()
                            : java.util.Optional.of(span(c.LBRACK().getSymbol()).to(span(c.headWord()))),
                    sp);
        } else if (ctx instanceof AttnParser.DtypeSettingContext c) {
            return new Setting.Dtype(c.ident().stream().map(this::ident).toList(), sp);
        }
        throw new IllegalStateException("unhandled setting " + ctx.getClass().getSimpleName());
    }

    // ---- overrides -----------------------------------------------------------------------

    private ScopedOverride override(AttnParser.OverrideContext ctx) {
        Span sp = span(ctx);
        if (ctx instanceof AttnParser.WindowOverrideContext c) {
            return new ScopedOverride.Window(
                    c.extent().stream().map(this::extent).toList(), scope(c.scope()), sp);
        } else if (ctx instanceof AttnParser.DilationOverrideContext c) {
            return new ScopedOverride.Dilation(intLit(c.INT()), scope(c.scope()), sp);
        } else if (ctx instanceof AttnParser.RandomOverrideContext c) {
            return new ScopedOverride.Random(intLit(c.INT()), scope(c.scope()), sp);
        }
        throw new IllegalStateException("unhandled override " + ctx.getClass().getSimpleName());
    }

    private Scope scope(AttnParser.ScopeContext ctx) {
        List<IndexRange> heads = List.of();
        List<IndexRange> layers = List.of();
        List<AttnParser.RangesContext> lists = ctx.ranges();
        // Grammar: ON heads ranges (IN layers ranges)? | IN layers ranges (ON heads ranges)?
        boolean headsFirst = ctx.ON() != null
                && (ctx.IN() == null
                        || ctx.ON().getSymbol().getTokenIndex()
                                < ctx.IN().getSymbol().getTokenIndex());
        for (int i = 0; i < lists.size(); i++) {
            List<IndexRange> r = ranges(lists.get(i));
            if ((i == 0) == headsFirst) {
                heads = r;
            } else {
                layers = r;
            }
        }
        return new Scope(heads, layers, span(ctx));
    }

    private List<IndexRange> ranges(AttnParser.RangesContext ctx) {
        List<IndexRange> out = new ArrayList<>();
        for (AttnParser.RangeContext r : ctx.range()) {
            long lo = number(r.lo);
            long hi = r.hi == null ? lo : number(r.hi);
            out.add(new IndexRange(lo, hi, span(r)));
        }
        return out;
    }

    // ---- expressions ---------------------------------------------------------------------

    private Expr expr(AttnParser.ExprContext ctx) {
        if (ctx instanceof AttnParser.PrimaryExprContext c) {
            return primary(c.primary());
        } else if (ctx instanceof AttnParser.UnionExprContext c) {
            return new Expr.Union(
                    expr(c.expr(0)), expr(c.expr(1)), span(c.PIPE().getSymbol()));
        } else if (ctx instanceof AttnParser.IntersectExprContext c) {
            return new Expr.Intersect(
                    expr(c.expr(0)), expr(c.expr(1)), span(c.AMP().getSymbol()));
        } else if (ctx instanceof AttnParser.DifferenceExprContext c) {
            return new Expr.Difference(
                    expr(c.expr(0)), expr(c.expr(1)), span(c.MINUS().getSymbol()));
        }
        throw new IllegalStateException("unhandled expression " + ctx.getClass().getSimpleName());
    }

    private Expr primary(AttnParser.PrimaryContext ctx) {
        Span sp = span(ctx);
        if (ctx instanceof AttnParser.ParenTermContext c) {
            return expr(c.expr());
        } else if (ctx instanceof AttnParser.WindowTermContext c) {
            Optional<Value> dilation = c.value() == null ? Optional.empty() : Optional.of(value(c.value()));
            return new Expr.Window(c.extent().stream().map(this::extent).toList(), dilation, sp);
        } else if (ctx instanceof AttnParser.CausalTermContext) {
            return new Expr.Causal(sp);
        } else if (ctx instanceof AttnParser.FullTermContext) {
            return new Expr.Full(sp);
        } else if (ctx instanceof AttnParser.GlobalTermContext c) {
            return new Expr.Global(c.globalItem().stream().map(this::globalItem).toList(), sp);
        } else if (ctx instanceof AttnParser.RandomTermContext c) {
            Optional<IntLit> seed = c.SEED() == null ? Optional.empty() : Optional.of(intLit(c.INT()));
            return new Expr.Random(value(c.value()), seed, sp);
        } else if (ctx instanceof AttnParser.RandomInputTermContext) {
            return new Expr.RandomInput(sp);
        } else if (ctx instanceof AttnParser.SegmentsTermContext) {
            return new Expr.Segments(sp);
        } else if (ctx instanceof AttnParser.KeysTermContext c) {
            return new Expr.TokenSet(
                    false, c.setItem().stream().map(this::setItem).toList(), sp);
        } else if (ctx instanceof AttnParser.QueriesTermContext c) {
            return new Expr.TokenSet(
                    true, c.setItem().stream().map(this::setItem).toList(), sp);
        } else if (ctx instanceof AttnParser.AdditiveTermContext c) {
            List<AdditiveOption> options = new ArrayList<>();
            for (AttnParser.AdditiveOptionContext o : c.additiveOption()) {
                if (o instanceof AttnParser.ValueOptionContext v) {
                    options.add(new AdditiveOption(
                            AdditiveOption.Kind.VALUE, v.SHARED() != null ? "shared" : "separate", span(o)));
                } else {
                    AttnParser.PoolingOptionContext p = (AttnParser.PoolingOptionContext) o;
                    options.add(new AdditiveOption(
                            AdditiveOption.Kind.POOLING, p.MATRIX() != null ? "matrix" : "vector", span(o)));
                }
            }
            return new Expr.Additive(options, sp);
        } else if (ctx instanceof AttnParser.PatternRefContext c) {
            return new Expr.Ref(ident(c.ident()));
        }
        throw new IllegalStateException("unhandled term " + ctx.getClass().getSimpleName());
    }

    private Extent extent(AttnParser.ExtentContext ctx) {
        Extent.Side side = Extent.Side.UNSPECIFIED;
        if (ctx.side() != null) {
            side = ctx.side().BEFORE() != null
                    ? Extent.Side.BEFORE
                    : ctx.side().AFTER() != null ? Extent.Side.AFTER : Extent.Side.EACH;
        }
        return new Extent(value(ctx.value()), ctx.unit != null, side, span(ctx));
    }

    private GlobalItem globalItem(AttnParser.GlobalItemContext ctx) {
        Span sp = span(ctx);
        if (ctx instanceof AttnParser.GlobalTokensContext c) {
            return new GlobalItem.Tokens(indexList(c.indexList()), sp);
        } else if (ctx instanceof AttnParser.GlobalBlocksContext c) {
            return new GlobalItem.Blocks(indexList(c.indexList()), sp);
        } else if (ctx instanceof AttnParser.GlobalInputContext) {
            return new GlobalItem.FromInput(sp);
        } else if (ctx instanceof AttnParser.GlobalFirstContext c) {
            return new GlobalItem.First(value(c.value()), c.blockUnit() != null, sp);
        } else if (ctx instanceof AttnParser.GlobalLastContext c) {
            return new GlobalItem.Last(value(c.value()), c.blockUnit() != null, sp);
        }
        throw new IllegalStateException(
                "unhandled global item " + ctx.getClass().getSimpleName());
    }

    /** An item of a {@code keys} or {@code queries} set: a bare index list counts tokens. */
    private GlobalItem setItem(AttnParser.SetItemContext ctx) {
        if (ctx instanceof AttnParser.SetIndicesContext c) {
            return new GlobalItem.Tokens(indexList(c.indexList()), span(ctx));
        }
        return globalItem(((AttnParser.SetGlobalItemContext) ctx).globalItem());
    }

    private List<IndexRange> indexList(AttnParser.IndexListContext ctx) {
        List<IndexRange> out = new ArrayList<>();
        for (AttnParser.IndexContext i : ctx.index()) {
            long lo = signed(i.lo);
            long hi = i.hi == null ? lo : signed(i.hi);
            out.add(new IndexRange(lo, hi, span(i)));
        }
        return out;
    }

    private long signed(AttnParser.SignedIntContext ctx) {
        long v = number(ctx.INT().getSymbol());
        return ctx.MINUS() != null ? -v : v;
    }

    private Value value(AttnParser.ValueContext ctx) {
        if (ctx instanceof AttnParser.ConstValueContext c) {
            return new Value.Const(intLit(c.INT()));
        } else if (ctx instanceof AttnParser.PerLayerValueContext c) {
            return new Value.PerLayer(c.INT().stream().map(this::intLit).toList(), span(ctx));
        } else if (ctx instanceof AttnParser.PerHeadValueContext c) {
            return new Value.PerHead(c.INT().stream().map(this::intLit).toList(), span(ctx));
        }
        throw new IllegalStateException("unhandled value " + ctx.getClass().getSimpleName());
    }

    // ---- leaves --------------------------------------------------------------------------

    private Ident ident(AttnParser.IdentContext ctx) {
        return new Ident(ctx.getText(), span(ctx.IDENT().getSymbol()));
    }

    private IntLit intLit(TerminalNode node) {
        return new IntLit(number(node.getSymbol()), span(node.getSymbol()));
    }

    private long number(Token t) {
        String text = t.getText();
        String digits = text.replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 10 || Long.parseLong(digits) > DiagCode.MAX_NUMBER) {
            diags.report(DiagCode.E007, span(t), abbreviate(text), DiagCode.MAX_NUMBER);
            return DiagCode.MAX_NUMBER;
        }
        return Long.parseLong(digits);
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 20) + "…";
    }

    private static String unquote(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        Span first = span(source, start);
        if (stop == null || stop.getLine() != start.getLine() || stop.getStopIndex() < start.getStartIndex()) {
            return first;
        }
        return new Span(source, first.line(), first.column(), stop.getStopIndex() - start.getStartIndex() + 1);
    }

    private Span span(Token t) {
        return span(source, t);
    }

    static Span span(SourceFile source, Token t) {
        int len = t.getType() == Token.EOF ? 1 : t.getStopIndex() - t.getStartIndex() + 1;
        return new Span(source, Math.max(1, t.getLine()), t.getCharPositionInLine() + 1, len);
    }
}
