package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.exec.PatternInputs;
import dev.attnc.compiler.exec.RandomLayout;
import dev.attnc.compiler.exec.RunException;
import dev.attnc.compiler.inspect.KindMask;
import dev.attnc.compiler.inspect.MaskPicture;
import dev.attnc.compiler.inspect.SvgMaskWriter;
import dev.attnc.compiler.inspect.TextMaskRenderer;
import dev.attnc.compiler.io.AtomicFile;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.MaskBlocks;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.io.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code attnc show FILE [--pattern P] [--n N] [--head H] [--layer L] [--svg OUT] [--global i,j,…]
 * [--layout FILE.npy] [--segments len,len,…] [--prefix-len P]}.
 */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Show the attention mask of a pattern, as text or as an SVG picture.",
        description = {
            "Evaluates the pattern at sequence length N for one layer and head and prints the mask as text: "
                    + "queries down, keys across, one character per pair (g global, w window, b block window, "
                    + "r random, c causal, f full, s keys/queries set, d segments, '.' not attended). With --svg it writes a picture like the "
                    + "figures of the Longformer and BigBird papers instead (window, global, random and other "
                    + "parts in their own colours, a legend, and the density in the title). Beyond n = "
                    + SvgMaskWriter.EXACT_MAX_N + " a picture cell merges ceil(n / " + SvgMaskWriter.EXACT_MAX_N
                    + ") × ceil(n / " + SvgMaskWriter.EXACT_MAX_N + ") pairs, so the picture stays the same size;"
                    + " the mask is evaluated one row at a time, so memory stays small, but time grows with n².",
            "Random blocks 'from input' are drawn from --layout; without it they are left out, and a note says so.",
            "Segments 'from input' are drawn from --segments (document lengths, packed one after another); "
                    + "without it the whole sequence is one document, and a note says so.",
            "Key and query sets 'from input' are drawn with the prefix --prefix-len; without it with n / 2, and a "
                    + "note says so."
        },
        footer = ExitCodes.FOOTER)
final class ShowCommand implements Callable<Integer> {

    static final int DEFAULT_TEXT_N = 64;
    static final int DEFAULT_SVG_N = 1024;

    @Parameters(paramLabel = "FILE", description = "a spec file (.attn)")
    String file;

    @Option(
            names = "--pattern",
            paramLabel = "P",
            description = "the pattern to show (default: the file's only pattern)")
    String pattern;

    @Option(
            names = "--n",
            paramLabel = "N",
            description = "sequence length (default: " + DEFAULT_TEXT_N + " as text, " + DEFAULT_SVG_N
                    + " with --svg; at most " + TextMaskRenderer.MAX_N + " as text, "
                    + SvgMaskWriter.MAX_N + " with --svg)")
    Integer n;

    @Option(
            names = "--head",
            paramLabel = "H",
            defaultValue = "0",
            description = "head index (default: ${DEFAULT-VALUE})")
    int head;

    @Option(
            names = "--layer",
            paramLabel = "L",
            defaultValue = "0",
            description = "layer index (default: ${DEFAULT-VALUE})")
    int layer;

    @Option(
            names = "--svg",
            paramLabel = "OUT",
            description = "write an SVG picture to OUT (e.g. mask.svg) instead of printing text")
    String svg;

    @Option(
            names = "--global",
            paramLabel = "i,j,...",
            split = ",",
            description = "token positions of the run-time global mask ('global from input'); default none")
    List<Integer> globals;

    @Option(
            names = "--layout",
            paramLabel = "FILE.npy",
            description = "the random block layout of 'random from input', int32 [H, nb, r] or Hugging Face's"
                    + " [H, nb-2, r], as 'attnc run -i layout=FILE.npy' takes it; default none (random blocks"
                    + " not drawn)")
    String layout;

    @Option(
            names = "--segments",
            paramLabel = "len,len,...",
            split = ",",
            description = "the lengths of the documents packed into the sequence for 'segments from input' (document"
                    + " k is segment k; tokens after the last length form one more); default one document")
    List<Integer> segments;

    @Option(
            names = "--prefix-len",
            paramLabel = "P",
            description = "the run-time prefix length of 'keys from input' / 'queries from input' (tokens 0..P-1),"
                    + " as 'attnc run -i prefix_len=FILE.npy' gives it per batch item; default n / 2")
    Integer prefixLen;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int length = checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Pipeline.Result result = SpecFiles.compile(file, err);
        if (!result.ok()) {
            return ExitCodes.USER_ERROR;
        }
        PatternIR p = SpecFiles.select(result, file, pattern);
        if (p.isAdditive()) {
            throw new UserError("pattern '" + p.name() + "' uses additive attention (Fastformer): it pools over all"
                    + " tokens and has no attention mask to show");
        }
        checkIndex("--head", head, p.heads().isPresent() ? p.heads().getAsInt() : -1, "heads");
        checkIndex("--layer", layer, p.layers().isPresent() ? p.layers().getAsInt() : -1, "layers");
        int[][] table = layoutTable(p, length, err);
        int[] segmentIds = segmentIds(p, length, err);
        int prefix = prefixLength(p, length, err);
        KindMask mask = PatternMasks.evaluate(
                result, p, length, layer, head, globals == null ? List.of() : globals, table, segmentIds, prefix, err);
        MaskPicture picture = new MaskPicture(p.name(), layer, head, mask);
        if (svg == null) {
            out.print(TextMaskRenderer.render(picture));
        } else {
            writeSvg(picture);
            out.println("wrote " + svg + " (" + picture.title() + ")");
        }
        if (!p.scoreMods().isNone()) {
            out.println("scores: " + IrPrinter.scoreMods(p.scoreMods()) + " (on the attended pairs; not drawn)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Checks the options that need no spec; returns the sequence length. */
    private int checkOptions() {
        int length = n != null ? n : svg == null ? DEFAULT_TEXT_N : DEFAULT_SVG_N;
        Options.atLeast("--n", length, 1);
        Options.atLeast("--head", head, 0);
        Options.atLeast("--layer", layer, 0);
        if (svg == null) {
            Options.atMost(
                    "--n",
                    length,
                    TextMaskRenderer.MAX_N,
                    " to print as text; write a picture instead with --svg OUT.svg");
        } else {
            Options.atMost("--n", length, SvgMaskWriter.MAX_N, " to draw");
        }
        if (globals != null) {
            for (int g : globals) {
                if (g < 0 || g >= length) {
                    throw new UserError(
                            "--global position " + g + " is outside the sequence (0.." + (length - 1) + ")");
                }
            }
        }
        return length;
    }

    /** The segment id of each token from {@code --segments}, or null (one document). */
    private int[] segmentIds(PatternIR p, int length, PrintWriter err) {
        boolean reads = PatternInputs.readsSegmentIds(p);
        if (segments == null) {
            if (reads) {
                err.println("attnc: note: segments from input: no --segments given, drawn as one document");
            }
            return null;
        }
        if (!reads) {
            throw new UserError("--segments: pattern '" + p.name() + "' has no 'segments from input' term to draw");
        }
        int[] ids = new int[length];
        int at = 0;
        for (int k = 0; k < segments.size(); k++) {
            int len = segments.get(k);
            if (len < 1 || at + (long) len > length) {
                throw new UserError("--segments: length " + len + " of document " + k + " must be at least 1 and"
                        + " the lengths must add up to at most --n " + length + " (" + at + " before it)");
            }
            java.util.Arrays.fill(ids, at, at + len, k);
            at += len;
        }
        java.util.Arrays.fill(ids, at, length, segments.size());
        return ids;
    }

    /**
     * The prefix of the pattern's {@code from input} key and query sets: {@code --prefix-len}, else
     * {@code n / 2} with a note; refused for a pattern without such a set.
     */
    private int prefixLength(PatternIR p, int length, PrintWriter err) {
        boolean reads = PatternInputs.readsPrefixLengths(p);
        if (prefixLen == null) {
            if (reads) {
                err.println("attnc: note: keys/queries from input: no --prefix-len given, drawn with prefix n / 2 = "
                        + length / 2);
            }
            return length / 2;
        }
        if (!reads) {
            throw new UserError("--prefix-len " + prefixLen + ": pattern '" + p.name()
                    + "' has no 'keys from input' or 'queries from input' set to draw");
        }
        if (prefixLen < 0 || prefixLen > length) {
            throw new UserError("--prefix-len " + prefixLen + " is outside 0.." + length + " (the sequence length)");
        }
        return prefixLen;
    }

    /**
     * The head's rows of {@code --layout}, checked as {@code attnc run} checks its layout input;
     * null, with a note on {@code err} when the pattern needs one, when none is given.
     */
    private int[][] layoutTable(PatternIR p, int length, PrintWriter err) {
        int block = MaskBlocks.layout(p.mask());
        if (layout == null) {
            if (block > 0) {
                err.println("attnc: note: random from input: no --layout given, random blocks not drawn");
            }
            return null;
        }
        if (block == 0) {
            throw new UserError(
                    "--layout " + layout + ": pattern '" + p.name() + "' has no 'random from input' term to draw");
        }
        Path path;
        try {
            path = Path.of(layout);
        } catch (InvalidPathException e) {
            throw new UserError("'" + layout + "' is not a valid file name: " + e.getReason());
        }
        NpyArray array = ArrayFiles.read("layout", path);
        int[] dims = array.shape();
        int heads = p.heads().isPresent() ? p.heads().getAsInt() : dims.length == 3 ? dims[0] : 1;
        if (head >= heads) {
            throw new UserError("--head " + head + " is out of range: --layout " + layout + " has " + heads
                    + " heads (0.." + (heads - 1) + ")");
        }
        try {
            return RandomLayout.of("--layout " + layout, p.name(), block, array, heads, length)
                    .head(head);
        } catch (RunException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static void checkIndex(String option, int value, int count, String what) {
        if (count >= 0 && value >= count) {
            throw new UserError(option + " " + value + " is out of range: the pattern has " + count + " " + what
                    + " (0.." + (count - 1) + ")");
        }
    }

    private void writeSvg(MaskPicture picture) {
        Path target;
        try {
            target = Path.of(svg);
        } catch (InvalidPathException e) {
            throw new UserError("'" + svg + "' is not a valid file name: " + e.getReason());
        }
        String document = SvgMaskWriter.render(picture);
        try {
            AtomicFile.write(target, w -> w.write(document));
        } catch (IOException e) {
            throw new UserError("cannot write " + svg + ": " + describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
