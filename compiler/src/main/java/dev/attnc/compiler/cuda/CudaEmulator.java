package dev.attnc.compiler.cuda;

import dev.attnc.compiler.emit.CudaEmitter;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.emit.EmuEntryTable;
import dev.attnc.compiler.io.FileTrees;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaBinding;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaEntries;
import dev.attnc.runtime.cuda.KeyValidMask;
import dev.attnc.runtime.kernel.PatternBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated CUDA kernels run on the CPU: the {@code .cu} files of some plans, unchanged,
 * compiled by g++ under {@code attnc_emu.h} together with {@code attnc_emu_main.cpp} (the host
 * side: reads inputs, launches with the engine's block size, writes the output), then run once
 * per call with the inputs in a scratch directory. Used by the {@code cuda-emu} backend
 * ({@link #cached}: one build per pattern and source hash, kept across processes) and by the
 * tests that compare every generated kernel with the dense reference.
 */
public final class CudaEmulator {

    /**
     * What one entry of the executable reports about itself ({@code exe info}): threads per
     * block, query rows per block and dynamic shared memory in bytes ({@code attnc::Shape}'s
     * {@code THREADS}, {@code QT}, {@code SMEM_BYTES}; additive entries: queryTile and sharedBytes 0).
     */
    public record EntryInfo(String name, int threads, int queryTile, int sharedBytes) {}

    /** The output of one run, and what the process printed (sanitizer reports go to stderr). */
    public record Run(float[] out, EmuToolchain.Result process, Path keptInputs) {}

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path exe;
    private final Path workDir;
    private final Map<String, EntryInfo> entries;

    private CudaEmulator(Path exe, Path workDir, Map<String, EntryInfo> entries) {
        this.exe = exe;
        this.workDir = workDir;
        this.entries = entries;
    }

    /**
     * Where {@link #cached} builds a pattern's kernel:
     * {@code <java.io.tmpdir>/attnc-emu-<user.name>/<pattern>}.
     */
    public static Path cacheDirectory(String pattern) {
        return Path.of(
                System.getProperty("java.io.tmpdir"), "attnc-emu-" + System.getProperty("user.name", "user"), pattern);
    }

    /**
     * The plan's kernel built in its {@link #cacheDirectory}, without sanitizers. The build is
     * keyed by the sources' hash ({@link EmuToolchain#build}): a later call, in this process or
     * another, with the same sources reuses the executable and starts at once.
     */
    public static CudaEmulator cached(KernelPlan plan) throws EmuBuildException {
        return build(cacheDirectory(plan.pattern()), List.of(plan), EmuToolchain.Sanitizer.NONE);
    }

    /** Writes the sources of {@code plans} under {@code workDir} and builds them. */
    public static CudaEmulator build(Path workDir, List<KernelPlan> plans, EmuToolchain.Sanitizer sanitizer)
            throws EmuBuildException {
        return build(workDir, plans, sanitizer, Map.of());
    }

    /**
     * As {@link #build(Path, List, EmuToolchain.Sanitizer)}, with some files replaced by edited
     * text ({@code file name → text}): a generated {@code .cu} ({@link CudaEmitter#fileName}) or
     * an engine header ({@link CudaEmitter#HEADERS}). How the tests prove that the sanitizers
     * catch a kernel with a barrier removed or an out-of-bounds read. The headers are part of
     * the build's cache key, so an edited engine never reuses an executable built without the edit.
     *
     * @throws IllegalArgumentException if {@code replaced} names a file the build does not write
     */
    public static CudaEmulator build(
            Path workDir, List<KernelPlan> plans, EmuToolchain.Sanitizer sanitizer, Map<String, String> replaced)
            throws EmuBuildException {
        try {
            Path src = workDir.resolve("src");
            Files.createDirectories(src);
            List<Path> sources = new ArrayList<>();
            for (KernelPlan p : plans) {
                String name = CudaEmitter.fileName(p);
                Path cu = src.resolve(name);
                Files.writeString(cu, replaced.getOrDefault(name, CudaEmitter.source(p)));
                sources.add(cu);
            }
            List<String> known = new ArrayList<>(CudaEmitter.HEADERS);
            plans.forEach(p -> known.add(CudaEmitter.fileName(p)));
            for (String name : replaced.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("cannot replace " + name + ": the build writes " + known);
                }
            }
            List<Path> headers = new ArrayList<>();
            for (String h : CudaEmitter.HEADERS) {
                Path hp = src.resolve(h);
                Files.writeString(hp, replaced.getOrDefault(h, CudaHeaders.text(h)));
                headers.add(hp);
            }
            Files.writeString(src.resolve(EmuEntryTable.FILE_NAME), EmuEntryTable.text(plans));
            Path main = src.resolve("attnc_emu_main.cpp");
            Files.writeString(main, CudaHeaders.text("attnc_emu_main.cpp"));
            sources.add(main);
            Path exe = EmuToolchain.build(workDir, "kernels", sources, headers, sanitizer);
            EmuToolchain.Result info = EmuToolchain.run(exe, List.of("info"), TIMEOUT);
            if (info.exitCode() != 0) {
                throw new IllegalStateException("emulated kernels: 'info' failed: " + info.stderr());
            }
            Map<String, EntryInfo> entries = new LinkedHashMap<>();
            for (String line : info.stdout().split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 4) {
                    entries.put(
                            f[0],
                            new EntryInfo(
                                    f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                } else if (!line.isBlank()) {
                    throw new IllegalStateException("emulated kernels: 'info' printed '" + line
                            + "', expected 'entry threads queryTile sharedBytes'");
                }
            }
            return new CudaEmulator(exe, workDir, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, EntryInfo> entries() {
        return entries;
    }

    /**
     * Runs entry {@code pattern_dtype} on {@code in} (the bindings from the pattern's generated
     * {@link PatternBinding}, as the CUDA host code does); fails with the process's stderr when it does not exit 0.
     */
    public float[] softmax(String pattern, CudaDtype dtype, PatternBinding binding, AttentionInputs in) {
        Run r = run(pattern, dtype, binding, in);
        if (r.process().exitCode() != 0) {
            throw new IllegalStateException("emulated " + CudaEntries.softmax(pattern, dtype) + " exited with "
                    + r.process().exitCode() + " (inputs kept in " + r.keptInputs() + "):\n"
                    + r.process().stderr());
        }
        return r.out();
    }

    /** As {@link #softmax}, returning the process result whatever its exit code. */
    public Run run(String pattern, CudaDtype dtype, PatternBinding binding, AttentionInputs in) {
        String entry = CudaEntries.softmax(pattern, dtype);
        EntryInfo info = entries.get(entry);
        if (info == null) {
            throw new IllegalArgumentException("no emulated entry " + entry + "; built: " + entries.keySet());
        }
        CudaBinding bind =
                CudaBinding.pack(binding, in, info.queryTile(), in.shape().headDim());
        var s = in.shape();
        return execute(entry, s.elements(), dir -> {
            Files.writeString(
                    dir.resolve("meta.txt"),
                    s.batch() + " " + s.heads() + " " + s.length() + " " + s.headDim() + " "
                            + (in.layout() == TensorLayout.BHLD ? 0 : 1) + "\n");
            writeFloats(dir.resolve("q.f32"), in.q());
            writeFloats(dir.resolve("k.f32"), in.k());
            writeFloats(dir.resolve("v.f32"), in.v());
            if (in.hasGlobalProjections()) {
                writeFloats(dir.resolve("qg.f32"), in.qg());
                writeFloats(dir.resolve("kg.f32"), in.kg());
                writeFloats(dir.resolve("vg.f32"), in.vg());
            }
            if (in.hasKeyValid()) {
                writeValid(dir, s.batch(), s.length(), in::isValid);
            }
            int[] words = bind.words();
            ByteBuffer bb = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asIntBuffer().put(words);
            Files.write(dir.resolve("bind.i32"), bb.array());
        });
    }

    /**
     * Runs additive call {@code pattern_dtype} (the five launches of {@code attnc_additive.cuh}; the
     * executable's table names the call as {@link CudaEntries#softmax} names a softmax entry)
     * on {@code in}; fails with the process's stderr when it does not exit 0. The caller checks
     * {@code in} against the pattern (head dim, heads, pooling kind), as the Java kernel does.
     */
    public float[] additive(String pattern, CudaDtype dtype, AdditiveInputs in) {
        Run r = runAdditive(pattern, dtype, in);
        if (r.process().exitCode() != 0) {
            throw new IllegalStateException("emulated " + CudaEntries.softmax(pattern, dtype) + " exited with "
                    + r.process().exitCode() + " (inputs kept in " + r.keptInputs() + "):\n"
                    + r.process().stderr());
        }
        return r.out();
    }

    /** As {@link #additive}, returning the process result whatever its exit code. */
    public Run runAdditive(String pattern, CudaDtype dtype, AdditiveInputs in) {
        String entry = CudaEntries.softmax(pattern, dtype);
        if (!entries.containsKey(entry)) {
            throw new IllegalArgumentException("no emulated entry " + entry + "; built: " + entries.keySet());
        }
        var s = in.shape();
        return execute(entry, s.elements(), dir -> {
            Files.writeString(
                    dir.resolve("meta.txt"),
                    s.batch() + " " + s.heads() + " " + s.length() + " " + s.headDim() + " 1\n");
            writeFloats(dir.resolve("q.f32"), in.q());
            writeFloats(dir.resolve("k.f32"), in.k());
            if (in.v() != in.q()) {
                writeFloats(dir.resolve("v.f32"), in.v());
            }
            writeFloats(dir.resolve("w_q.f32"), in.wqa());
            writeFloats(dir.resolve("b_q.f32"), in.bqa());
            writeFloats(dir.resolve("w_k.f32"), in.wka());
            writeFloats(dir.resolve("b_k.f32"), in.bka());
            if (in.wr() != null) {
                writeFloats(dir.resolve("w_r.f32"), in.wr());
                writeFloats(dir.resolve("b_r.f32"), in.br());
            }
            writeValid(dir, s.batch(), s.length(), in::isValid);
        });
    }

    private interface InputWriter {
        void write(Path dir) throws IOException;
    }

    private Run execute(String entry, int outputs, InputWriter inputs) {
        Path dir = null;
        Path kept = null;
        try {
            dir = Files.createTempDirectory(workDir, "call");
            inputs.write(dir);
            EmuToolchain.Result r = EmuToolchain.run(exe, List.of("run", dir.toString(), entry), TIMEOUT);
            float[] out = null;
            Path o = dir.resolve("out.f32");
            if (r.exitCode() == 0 && Files.exists(o)) {
                ByteBuffer ob = ByteBuffer.wrap(Files.readAllBytes(o)).order(ByteOrder.LITTLE_ENDIAN);
                out = new float[outputs];
                ob.asFloatBuffer().get(out);
            }
            if (r.exitCode() != 0 || Boolean.getBoolean("attnc.emu.keep")) {
                kept = dir; // the inputs of a failed run stay, for a debugger
            }
            return new Run(out, r, kept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (kept == null) {
                FileTrees.deleteQuietly(dir);
            }
        }
    }

    /** key_valid.u8 when some token is padding; absent means every token is real. */
    private static void writeValid(Path dir, int batch, int length, KeyValidMask.Validity valid) throws IOException {
        byte[] bytes = KeyValidMask.bytesOrNull(batch, length, valid);
        if (bytes != null) {
            Files.write(dir.resolve("key_valid.u8"), bytes);
        }
    }

    private static void writeFloats(Path file, float[] a) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(a);
        Files.write(file, bb.array());
    }
}
