package dev.attnc.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Target;
import dev.attnc.compiler.cuda.CudaArch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Codegen}, the logic behind the Maven plugin, on small projects in a temp directory:
 * outputs and service registrations, the stale check, removed specs, errors (all of them, and
 * nothing written), excludes, determinism. Real Maven builds are the plugin's invoker tests.
 */
class CodegenTest {

    @TempDir
    Path dir;

    final List<String> infos = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final CodegenLog log = new CodegenLog() {
        @Override
        public void info(String m) {
            infos.add(m);
        }

        @Override
        public void warn(String m) {
            warnings.add(m);
        }

        @Override
        public void error(String m) {
            errors.add(m);
        }
    };

    CodegenRequest request(Set<Target> targets, List<String> excludes) {
        return new CodegenRequest(
                dir.resolve("src/main/attn"),
                List.of(),
                excludes,
                dir.resolve("target/gen-java"),
                dir.resolve("target/gen-res"),
                "com.example.kernels",
                targets,
                CudaArch.DEFAULTS,
                dir.resolve("no-nvcc"),
                false,
                null,
                dir.resolve("target/attnc.state"),
                "test-1");
    }

    Path spec(String name, String text) throws IOException {
        Path f = dir.resolve("src/main/attn").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void generatesKernelsAndRegistrationsThenStaysUpToDateUntilASpecChanges() throws Exception {
        spec("local.attn", "pattern local { head_dim 16  window 4 | global tokens [0] }\n");
        spec("sub/fast.attn", "pattern fast { head_dim 16  additive }\n");
        CodegenRequest r = request(Set.of(Target.JAVA), List.of());
        CodegenResult first = Codegen.run(r, log, dir);
        assertFalse(first.upToDate());
        Path pkg = dir.resolve("target/gen-java/com/example/kernels");
        assertTrue(Files.readString(pkg.resolve("LocalKernel.java"))
                .contains("public final class LocalKernel extends SparseAttentionKernel"));
        assertTrue(Files.exists(pkg.resolve("FastKernel.java")));
        assertEquals(
                "com.example.kernels.LocalKernel\n",
                Files.readString(dir.resolve("target/gen-res/META-INF/services/dev.attnc.runtime.AttentionKernel")));
        assertEquals(
                "com.example.kernels.FastKernel\n",
                Files.readString(dir.resolve("target/gen-res/META-INF/services/dev.attnc.runtime.AdditiveKernel")));

        FileTime before = Files.getLastModifiedTime(pkg.resolve("LocalKernel.java"));
        Files.setLastModifiedTime(pkg.resolve("LocalKernel.java"), FileTime.fromMillis(before.toMillis() - 60_000));
        FileTime old = Files.getLastModifiedTime(pkg.resolve("LocalKernel.java"));
        CodegenResult second = Codegen.run(r, log, dir);
        assertTrue(second.upToDate());
        assertEquals(old, Files.getLastModifiedTime(pkg.resolve("LocalKernel.java")), "nothing rewritten");

        spec("sub/fast.attn", "pattern fast { head_dim 32  additive }\n");
        CodegenResult third = Codegen.run(r, log, dir);
        assertFalse(third.upToDate());
        assertEquals(List.of(pkg.resolve("FastKernel.java")), third.written(), "only the changed kernel is rewritten");
        assertEquals(
                old, Files.getLastModifiedTime(pkg.resolve("LocalKernel.java")), "an unchanged output keeps its time");

        // A new generator version or configuration regenerates (to the same bytes here).
        CodegenRequest other = new CodegenRequest(
                r.sourceDir(),
                r.includes(),
                r.excludes(),
                r.javaOutputDir(),
                r.resourceOutputDir(),
                r.javaPackage(),
                r.targets(),
                r.archs(),
                r.nvcc(),
                false,
                "qtile=32",
                r.stateFile(),
                "test-1");
        assertFalse(Codegen.run(other, log, dir).upToDate());
    }

    @Test
    void aRemovedSpecRemovesItsOutputs() throws Exception {
        spec("a.attn", "pattern aa { head_dim 16  window 2 }\n");
        Path b = spec("b.attn", "pattern bb { head_dim 16  causal }\n");
        CodegenRequest r = request(Set.of(Target.JAVA, Target.CUDA), List.of());
        Codegen.run(r, log, dir);
        Path pkg = dir.resolve("target/gen-java/com/example/kernels");
        Path cuda = dir.resolve("target/gen-res/" + CodegenRequest.CUDA_RESOURCES);
        assertTrue(Files.exists(pkg.resolve("BbKernel.java")));
        assertTrue(Files.exists(cuda.resolve("bb.cu")));
        Files.delete(b);
        CodegenResult again = Codegen.run(r, log, dir);
        assertFalse(Files.exists(pkg.resolve("BbKernel.java")));
        assertFalse(Files.exists(cuda.resolve("bb.cu")));
        assertTrue(Files.exists(pkg.resolve("AaKernel.java")));
        assertEquals(2, again.deleted().size(), again.deleted().toString());
        assertEquals(
                "com.example.kernels.AaKernel\n",
                Files.readString(dir.resolve("target/gen-res/META-INF/services/dev.attnc.runtime.AttentionKernel")));
    }

    @Test
    void theCudaTargetWithoutNvccWarnsAndStillGeneratesSources() throws Exception {
        spec("a.attn", "pattern aa { head_dim 16  window 2 }\n");
        Codegen.run(request(Set.of(Target.JAVA, Target.CUDA), List.of()), log, dir);
        Path cuda = dir.resolve("target/gen-res/" + CodegenRequest.CUDA_RESOURCES);
        assertTrue(Files.readString(cuda.resolve("aa.cu")).contains("aa_f32("));
        assertTrue(Files.exists(cuda.resolve("attnc_softmax.cuh")));
        assertTrue(Files.exists(cuda.resolve("attnc_mma.cuh")));
        assertFalse(Files.exists(cuda.resolve("aa.fatbin")));
        assertTrue(
                warnings.stream().anyMatch(w -> w.startsWith("attnc: no CUDA fatbins: ") && w.contains("no-nvcc")),
                warnings.toString());

        CodegenRequest strict = new CodegenRequest(
                dir.resolve("src/main/attn"),
                List.of(),
                List.of(),
                dir.resolve("t2/java"),
                dir.resolve("t2/res"),
                "p",
                Set.of(Target.CUDA),
                CudaArch.DEFAULTS,
                dir.resolve("no-nvcc"),
                true,
                null,
                dir.resolve("t2/state"),
                "test-1");
        CodegenException e = assertThrows(CodegenException.class, () -> Codegen.run(strict, log, dir));
        assertTrue(e.getMessage().startsWith("the CUDA target needs nvcc to build fatbins: "), e.getMessage());
    }

    @Test
    void everyErrorOfEverySpecIsLoggedAndNothingIsWritten() throws Exception {
        spec("good.attn", "pattern good { head_dim 16  window 2 }\n");
        spec("bad1.attn", "pattern one { head_dim 16  window -2 }\n");
        spec("bad2.attn", "pattern two { head_dim 16  windw 2 }\n");
        CodegenException e = assertThrows(
                CodegenException.class, () -> Codegen.run(request(Set.of(Target.JAVA), List.of()), log, dir));
        assertTrue(e.getMessage().endsWith("error(s) in the specs (see above); nothing generated"), e.getMessage());
        assertTrue(errors.stream().anyMatch(m -> m.startsWith("src/main/attn/bad1.attn:1:")), errors.toString());
        assertTrue(errors.stream().anyMatch(m -> m.startsWith("src/main/attn/bad2.attn:1:")), errors.toString());
        assertTrue(
                errors.stream().allMatch(m -> m.contains("\n") && m.contains("^")), "source line and caret: " + errors);
        assertEquals(List.of(), files(dir.resolve("target")), "nothing written");
    }

    @Test
    void excludesLeaveSpecsOutAndOutputIsDeterministic() throws Exception {
        spec("a.attn", "pattern aa { head_dim 16  window 2 }\n");
        spec("skip/b.attn", "pattern bb { head_dim 16  causal }\n");
        CodegenRequest r = request(Set.of(Target.JAVA, Target.CUDA), List.of("skip/**"));
        CodegenResult res = Codegen.run(r, log, dir);
        assertEquals(1, res.specs().size());
        List<String> firstRun = new ArrayList<>();
        for (Path f : files(dir.resolve("target/gen-java"))) {
            firstRun.add(Files.readString(f));
        }
        Files.delete(r.stateFile());
        CodegenResult again = Codegen.run(r, log, dir);
        assertEquals(List.of(), again.written(), "regenerating gives the same bytes");
        List<String> secondRun = new ArrayList<>();
        for (Path f : files(dir.resolve("target/gen-java"))) {
            secondRun.add(Files.readString(f));
        }
        assertEquals(firstRun, secondRun);
    }
}
