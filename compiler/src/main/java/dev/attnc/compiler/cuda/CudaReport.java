package dev.attnc.compiler.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The static report of one build, per kernel and architecture: ptxas's registers, shared memory
 * and spills, the theoretical {@link Occupancy} they allow, and the {@link PtxMix} of the
 * architecture's PTX (all instructions against tensor-core instructions, for the kernel and for
 * its main loop). Written as {@code <baseName>.cuda-report.txt} next to the ptxas report.
 *
 * <p>Guarantees: {@link #toText()} depends only on the ptxas report and the PTX given, with rows
 * in {@link PtxasReport#kernels()} order and numbers formatted without the default locale, so
 * the same build gives the same bytes. A value that cannot be known is written {@code -}: the
 * occupancy where {@link Occupancy.Limits#of} has no table or the PTX has no {@code .maxntid};
 * the mix where no PTX of that architecture was given or it has no such entry.
 *
 * @param resources ptxas's report of the build
 * @param ptx the PTX mix per architecture ({@code sm_NN} text, as in {@link KernelResources#arch()})
 * @param dynamicShared the dynamic shared memory each entry is launched with, in bytes (an entry
 *     not named launches with none); counted into the occupancy with the static shared memory
 */
public record CudaReport(PtxasReport resources, Map<String, PtxMix> ptx, Map<String, Long> dynamicShared) {

    /** The columns of {@link #toText()}. */
    public static final List<String> COLUMNS = List.of(
            "kernel",
            "arch",
            "threads",
            "registers",
            "smem",
            "dyn_smem",
            "spill",
            "blocks/SM",
            "warps/SM",
            "occupancy",
            "limited_by",
            "ptx",
            "tensor",
            "tensor%",
            "loop",
            "loop_ptx",
            "loop_tensor",
            "loop_tensor%");

    public CudaReport {
        Objects.requireNonNull(resources, "resources");
        ptx = Map.copyOf(new TreeMap<>(ptx));
        dynamicShared = Map.copyOf(dynamicShared);
    }

    /** A report of kernels launched without dynamic shared memory. */
    public CudaReport(PtxasReport resources, Map<String, PtxMix> ptx) {
        this(resources, ptx, Map.of());
    }

    /**
     * A comment header saying where the numbers come from, then a table: a header line and one line
     * per kernel and architecture, columns {@link #COLUMNS} padded with spaces, every line ending in
     * {@code \n}. {@code smem} is static shared memory per block in bytes, {@code dyn_smem} the dynamic shared memory the entry is launched with, {@code spill} the spill
     * store plus load bytes per thread, {@code occupancy} resident warps over 64 in percent, {@code limited_by} every resource that
     * allows no more blocks, joined by {@code +} (see {@link Occupancy#limiters()}).
     */
    public String toText() {
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS.toArray(String[]::new));
        for (KernelResources k : resources.kernels()) {
            Optional<PtxMix.Function> f = Optional.ofNullable(ptx.get(k.arch())).flatMap(m -> m.find(k.kernel()));
            OptionalInt threads = f.map(PtxMix.Function::threadsPerBlock).orElse(OptionalInt.empty());
            long dynamic = dynamicShared.getOrDefault(k.kernel(), 0L);
            Optional<Occupancy> occ = limits(k.arch())
                    .filter(l -> threads.isPresent() && k.registers() <= l.maxRegistersPerThread())
                    .map(l -> Occupancy.of(l, threads.getAsInt(), k.registers(), k.sharedBytes() + dynamic));
            Optional<PtxMix.Loop> loop = f.flatMap(PtxMix.Function::mainLoop);
            rows.add(new String[] {
                k.kernel(),
                k.arch(),
                threads.isPresent() ? Integer.toString(threads.getAsInt()) : "-",
                Integer.toString(k.registers()),
                Long.toString(k.sharedBytes()),
                Long.toString(dynamic),
                Long.toString(k.spillStoreBytes() + k.spillLoadBytes()),
                occ.map(o -> Integer.toString(o.blocksPerSm())).orElse("-"),
                occ.map(o -> Integer.toString(o.warpsPerSm())).orElse("-"),
                occ.map(o -> percent(o.fraction())).orElse("-"),
                occ.map(CudaReport::limiters).orElse("-"),
                f.map(x -> Integer.toString(x.whole().instructions())).orElse("-"),
                f.map(x -> Integer.toString(x.whole().tensorCore())).orElse("-"),
                f.map(x -> percent(x.whole().share())).orElse("-"),
                loop.map(PtxMix.Loop::label).orElse("-"),
                loop.map(l -> Integer.toString(l.count().instructions())).orElse("-"),
                loop.map(l -> Integer.toString(l.count().tensorCore())).orElse("-"),
                loop.map(l -> percent(l.count().share())).orElse("-")
            });
        }
        StringBuilder sb = new StringBuilder();
        sb.append(
                        "# attnc static CUDA report: registers, smem (static, bytes/block) and spills (bytes/thread) from ptxas -v;\n")
                .append(
                        "# dyn_smem = dynamic shared memory of the launch (the .cu's attnc:launch lines), bytes/block;\n")
                .append("# occupancy = resident warps / 64 per SM (Occupancy Calculator rules, see Occupancy);\n")
                .append(
                        "# ptx/tensor = PTX instructions / tensor-core instructions of the entry, loop = its main loop (see PtxMix)\n");
        int limitedBy = COLUMNS.indexOf("limited_by");
        int loop = COLUMNS.indexOf("loop");
        sb.append(TextTable.format(rows, i -> i < 2 || i == limitedBy || i == loop));
        return sb.toString();
    }

    private static Optional<Occupancy.Limits> limits(String arch) {
        try {
            return Occupancy.Limits.of(CudaArch.parse(arch));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an sm_NN this compiler does not target: no table
        }
    }

    private static String limiters(Occupancy o) {
        return o.limiters().stream().map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("+"));
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
