package dev.attnc.compiler.cuda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources ptxas reported ({@code -Xptxas -v}) for every kernel and architecture of one build.
 *
 * <p>Guarantees: {@link #kernels()} is sorted by kernel name, then by SM number ({@code sm_90}
 * before {@code sm_100}), with no (kernel, arch) pair twice; {@link #parse} is a pure function of
 * its text; {@link #toText()} depends only on {@link #kernels()}, so the same build gives the same
 * bytes.
 *
 * <p>The format read is that of ptxas in CUDA 13.0, one block per entry function and architecture:
 * <pre>
 * ptxas info    : Compiling entry function 'axpy' for 'sm_80'
 * ptxas info    : Function properties for axpy
 *     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
 * ptxas info    : Used 10 registers, used 0 barriers, 384 bytes smem, 380 bytes cmem[0]
 * ptxas info    : Compile time = 4.259 ms
 * </pre>
 * Other lines (gmem totals, compile times, warnings, "Function properties" of non-entry
 * {@code __device__} functions) are skipped.
 */
public record PtxasReport(List<KernelResources> kernels) {

    private static final Comparator<KernelResources> ORDER = Comparator.comparing(KernelResources::kernel)
            .thenComparingInt(k -> smNumber(k.arch()))
            .thenComparing(KernelResources::arch);

    private static final Pattern ENTRY =
            Pattern.compile("ptxas info\\s*: Compiling entry function '([^']+)' for '([^']+)'");
    private static final Pattern PROPERTIES = Pattern.compile("ptxas info\\s*: Function properties for (\\S+)");
    private static final Pattern FRAME =
            Pattern.compile("^\\s*(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern USED = Pattern.compile("ptxas info\\s*: Used (\\d+) registers(.*)");
    private static final Pattern BARRIERS = Pattern.compile("used (\\d+) barriers");
    private static final Pattern SMEM = Pattern.compile("(\\d+) bytes smem");
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");
    private static final Pattern CMEM = Pattern.compile("(\\d+) bytes cmem\\[\\d+\\]");

    /** Sorts and freezes {@code kernels}; throws IllegalArgumentException on a duplicate (kernel, arch). */
    public PtxasReport {
        List<KernelResources> sorted = new ArrayList<>(kernels);
        sorted.sort(ORDER);
        for (int i = 1; i < sorted.size(); i++) {
            KernelResources a = sorted.get(i - 1);
            KernelResources b = sorted.get(i);
            if (a.kernel().equals(b.kernel()) && a.arch().equals(b.arch())) {
                throw new IllegalArgumentException("kernel " + a.kernel() + " reported twice for " + a.arch());
            }
        }
        kernels = List.copyOf(sorted);
    }

    /** The entry for {@code kernel} on {@code arch}, if ptxas compiled it. */
    public Optional<KernelResources> find(String kernel, CudaArch arch) {
        return kernels.stream()
                .filter(k -> k.kernel().equals(kernel) && k.arch().equals(arch.toString()))
                .findFirst();
    }

    /**
     * Reads ptxas {@code -v} output (nvcc's stderr; other lines may be mixed in).
     *
     * @throws IllegalArgumentException if an entry function's block has no "Used N registers" line,
     *     or a (kernel, arch) pair appears twice: the format is not the one this parser knows, and
     *     guessing would report wrong numbers
     */
    public static PtxasReport parse(String text) {
        Objects.requireNonNull(text, "text");
        List<KernelResources> out = new ArrayList<>();
        Block current = null;
        String propertiesOf = null;
        for (String line : text.split("\\R")) {
            Matcher m;
            if ((m = ENTRY.matcher(line)).find()) {
                finish(current, out);
                current = new Block(m.group(1), m.group(2));
                propertiesOf = null;
            } else if ((m = PROPERTIES.matcher(line)).find()) {
                propertiesOf = m.group(1);
            } else if ((m = FRAME.matcher(line)).find()) {
                if (current != null && current.kernel.equals(propertiesOf)) {
                    current.stack = Long.parseLong(m.group(1));
                    current.spillStores = Long.parseLong(m.group(2));
                    current.spillLoads = Long.parseLong(m.group(3));
                }
                propertiesOf = null;
            } else if ((m = USED.matcher(line)).find()) {
                if (current == null || current.registers >= 0) {
                    throw new IllegalArgumentException("ptxas line outside an entry function block: " + line.strip());
                }
                current.registers = Integer.parseInt(m.group(1));
                String rest = m.group(2);
                Matcher b = BARRIERS.matcher(rest);
                current.barriers = b.find() ? Integer.parseInt(b.group(1)) : 0;
                Matcher s = SMEM.matcher(rest);
                current.smem = s.find() ? Long.parseLong(s.group(1)) : 0;
                Matcher c = CMEM.matcher(rest);
                long cmem = 0;
                while (c.find()) {
                    cmem += Long.parseLong(c.group(1));
                }
                current.cmem = cmem;
            }
        }
        finish(current, out);
        return new PtxasReport(out);
    }

    private static void finish(Block b, List<KernelResources> out) {
        if (b == null) {
            return;
        }
        if (b.registers < 0) {
            throw new IllegalArgumentException("ptxas output for entry function '" + b.kernel + "' on " + b.arch
                    + " has no 'Used N registers' line");
        }
        out.add(new KernelResources(
                b.kernel, b.arch, b.registers, b.barriers, b.smem, b.cmem, b.stack, b.spillStores, b.spillLoads));
    }

    /**
     * A table with a header line and one line per kernel and architecture, in {@link #kernels()}
     * order, columns padded with spaces, every line ending in {@code \n}. Column names:
     * kernel, arch, registers, barriers, smem, cmem, stack, spill_st, spill_ld.
     */
    public String toText() {
        String[] header = {"kernel", "arch", "registers", "barriers", "smem", "cmem", "stack", "spill_st", "spill_ld"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (KernelResources k : kernels) {
            rows.add(new String[] {
                k.kernel(),
                k.arch(),
                Integer.toString(k.registers()),
                Integer.toString(k.barriers()),
                Long.toString(k.sharedBytes()),
                Long.toString(k.constantBytes()),
                Long.toString(k.stackFrameBytes()),
                Long.toString(k.spillStoreBytes()),
                Long.toString(k.spillLoadBytes())
            });
        }
        return TextTable.format(rows, i -> i < 2); // names left-aligned, numbers right-aligned
    }

    private static int smNumber(String arch) {
        Matcher m = DIGITS.matcher(arch);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private static final class Block {
        final String kernel;
        final String arch;
        int registers = -1;
        int barriers;
        long smem;
        long cmem;
        long stack;
        long spillStores;
        long spillLoads;

        Block(String kernel, String arch) {
            this.kernel = kernel;
            this.arch = arch;
        }
    }
}
