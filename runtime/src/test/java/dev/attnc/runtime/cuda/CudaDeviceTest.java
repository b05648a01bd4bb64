package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Needs a CUDA device: skipped (with the unavailable message as the reason) where there is none,
 * failed instead with {@code -Dattnc.cuda.require=true}.
 */
class CudaDeviceTest {

    /** With {@code -Dattnc.cuda.require=true} (bench/device/check) a missing device fails instead of skipping. */
    @BeforeEach
    void device() {
        if (Boolean.getBoolean("attnc.cuda.require") && !CudaDriver.available()) {
            throw new AssertionError("-Dattnc.cuda.require=true but there is no device: "
                    + CudaDriver.unavailableReason().orElse(""));
        }
        Assumptions.assumeTrue(
                CudaDriver.available(), () -> CudaDriver.unavailableReason().orElse(""));
    }

    @Test
    void contextDescribesTheDevice() {
        CudaContext c = CudaDriver.context();
        assertSame(c, CudaDriver.context());
        assertTrue(c.computeCapability() >= 50, c.toString());
        assertTrue(c.totalMemory() > 0, c.toString());
        assertTrue(CudaDriver.unavailableReason().isEmpty());
    }

    @Test
    void buffersRoundTripEveryElementType() {
        float[] f = {1.5f, -2f, Float.NaN, Float.MIN_VALUE, 3e38f};
        try (DeviceBuffer b = DeviceBuffer.of("f", f)) {
            assertEquals(20, b.bytes());
            float[] back = new float[f.length];
            b.download(back);
            assertArrayEquals(f, back);
        }
        int[] i = {0, -1, Integer.MAX_VALUE, 42};
        try (DeviceBuffer b = DeviceBuffer.of("i", i)) {
            int[] back = new int[i.length];
            b.download(back);
            assertArrayEquals(i, back);
        }
        byte[] y = {0, 1, 1, 0, -1};
        try (DeviceBuffer b = DeviceBuffer.of("y", y)) {
            byte[] back = new byte[y.length];
            b.download(back);
            assertArrayEquals(y, back);
            b.zero();
            b.download(back);
            assertArrayEquals(new byte[y.length], back);
        }
        short[] s = CudaDtype.F16.toBits(new float[] {1f, 0.1f, -65504f});
        try (DeviceBuffer b = DeviceBuffer.of("s", s)) {
            short[] back = new short[s.length];
            b.download(back);
            assertArrayEquals(s, back);
        }
    }

    @Test
    void sizeMismatchNamesTheBufferAndBothSizes() {
        try (DeviceBuffer b = DeviceBuffer.allocate("k", 16)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.upload(new float[3]));
            assertEquals(
                    "k: upload of float[3] (12 bytes) into a device buffer of 16 bytes; sizes must match",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.download(new short[4]));
            assertEquals(
                    "k: download of short[4] (8 bytes) from a device buffer of 16 bytes; sizes must match",
                    e.getMessage());
        }
    }

    @Test
    void closedBuffersSayso() {
        DeviceBuffer b = DeviceBuffer.allocate("v", 8);
        b.close();
        b.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.upload(new float[2]));
        assertEquals("v: device buffer is closed", e.getMessage());
    }

    @Test
    void ptxVectorAddRuns() {
        CudaModule m = CudaModule.ofPtx("vector_add_test", VectorAddPtx.PTX);
        CudaFunction vadd = m.function("vadd");
        assertSame(vadd, m.function("vadd"));
        int n = 1000;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 0.5f * i;
        }
        float[] c = new float[n];
        try (DeviceBuffer da = DeviceBuffer.of("a", a);
                DeviceBuffer db = DeviceBuffer.of("b", b);
                DeviceBuffer dc = DeviceBuffer.allocate("c", 4L * n)) {
            vadd.launch(LaunchConfig.covering(n, 128), da, db, dc, n);
            dc.download(c);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1.5f * i, c[i], "c[" + i + "]");
        }
    }

    @Test
    void enqueuedLaunchesAreTimedByEventsAndFinishedByStop() {
        CudaModule m = CudaModule.ofPtx("vector_add_test", VectorAddPtx.PTX);
        CudaFunction vadd = m.function("vadd");
        int n = 1 << 20;
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 1000;
        }
        float[] c = new float[n];
        try (DeviceBuffer da = DeviceBuffer.of("a", a);
                DeviceBuffer dc = DeviceBuffer.allocate("c", 4L * n);
                CudaEventTimer t = CudaEventTimer.create()) {
            assertThrows(IllegalStateException.class, t::stop);
            for (int rep = 0; rep < 3; rep++) {
                t.start();
                vadd.enqueue(LaunchConfig.covering(n, 128), da, da, dc, n);
                float ms = t.stop();
                assertTrue(ms >= 0 && ms < 10_000, "elapsed " + ms + " ms");
            }
            dc.download(c);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(2f * (i % 1000), c[i], "c[" + i + "]");
        }
    }

    @Test
    void scalarAndPointerArgumentsArePassedInOrder() {
        CudaFunction vfill =
                CudaModule.ofPtx("vector_add_test", VectorAddPtx.PTX).function("vfill");
        float[] c = new float[70];
        try (DeviceBuffer dc = DeviceBuffer.of("c", c);
                DeviceBuffer dn = DeviceBuffer.of("n", new int[] {65})) {
            vfill.launch(LaunchConfig.covering(70, 32), dc, 2.5f, dn);
            dc.download(c);
        }
        for (int i = 0; i < 70; i++) {
            assertEquals(i < 65 ? 2.5f : 0f, c[i], "c[" + i + "]");
        }
    }

    @Test
    void fatbinResourceLoads() {
        CudaModule m = CudaModule.fromResource("vector_test");
        assertNotNull(m.function("vadd"));
        assertNotNull(m.function("vscale"));
    }

    @Test
    void missingFunctionListsTheEntryPoints() {
        CudaModule m = CudaModule.ofPtx("vector_add_test", VectorAddPtx.PTX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.function("attention"));
        assertEquals(
                "kernel image 'vector_add_test' has no function 'attention'; functions in the image: vadd, vfill",
                e.getMessage());
    }

    @Test
    void workerThreadsGetTheContextToo() throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (DeviceBuffer b = DeviceBuffer.of("t", new int[] {7})) {
                int[] back = new int[1];
                b.download(back);
                assertEquals(7, back[0]);
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        assertEquals(null, failed.get());
    }

    @Test
    void attentionKernelValidatesBeforeLaunching() {
        CudaModule m = CudaModule.ofPtx("vector_add_test", VectorAddPtx.PTX);
        // vadd stands in for an attention entry: only validation runs here.
        CudaAttentionKernel k = new CudaAttentionKernel(new DenseTestBinding(8), m, "vadd", CudaDtype.F32, 128, 16, 0);
        AttentionInputs in = AttentionInputs.builder(new AttentionShape(1, 2, 4, 16), TensorLayout.BHLD)
                .qkv(new float[128], new float[128], new float[128])
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.compute(in, new float[128]));
        assertTrue(e.getMessage().startsWith("q, k, v: pattern 'dense' was compiled for head dim 8"), e.getMessage());
        AttentionInputs ok = AttentionInputs.builder(new AttentionShape(1, 2, 4, 8), TensorLayout.BHLD)
                .qkv(new float[64], new float[64], new float[64])
                .build();
        e = assertThrows(IllegalArgumentException.class, () -> k.compute(ok, new float[63]));
        assertEquals("out: expected float [1, 2, 4, 8] (64 floats), got 63 floats", e.getMessage());
    }
}
