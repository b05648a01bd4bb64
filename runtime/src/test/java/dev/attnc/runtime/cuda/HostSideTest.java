package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import org.junit.jupiter.api.Test;

/** The host side of the CUDA kernel that needs no device: size checks, masks, layout codes, metadata. */
class HostSideTest {

    @Test
    void sizeMismatchMessagesNameTheBufferAndBothSizes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> DeviceBuffer.checkSize("q", 48, "upload", "float", 10, 4));
        assertEquals(
                "q: upload of float[10] (40 bytes) into a device buffer of 48 bytes; sizes must match", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> DeviceBuffer.checkSize("out", 48, "download", "short", 25, 2));
        assertEquals(
                "out: download of short[25] (50 bytes) from a device buffer of 48 bytes; sizes must match",
                e.getMessage());
        DeviceBuffer.checkSize("bind", 12, "upload", "int", 3, 4);
        DeviceBuffer.checkSize("key_valid", 5, "download", "byte", 5, 1);
    }

    @Test
    void allocationArgumentsAreCheckedBeforeTheDriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceBuffer.allocate("q", 0));
        assertEquals("q: device buffer size must be >= 1 byte, got 0", e.getMessage());
    }

    @Test
    void keyValidIsOneBytePerToken() {
        AttentionInputs in = DeviceInputs.metadata(new AttentionShape(2, 1, 3, 4), TensorLayout.BLHD)
                .validLengths(2, 3)
                .build();
        assertArrayEquals(new byte[] {1, 1, 0, 1, 1, 1}, CudaAttentionKernel.keyValidBytes(in));
    }

    @Test
    void layoutCodesMatchTheAbi() {
        assertEquals(0, CudaAttentionKernel.layoutCode(TensorLayout.BHLD));
        assertEquals(1, CudaAttentionKernel.layoutCode(TensorLayout.BLHD));
    }

    @Test
    void outIsCheckedLikeTheJavaBackend() {
        AttentionInputs in = DeviceInputs.metadata(new AttentionShape(1, 2, 4, 8), TensorLayout.BLHD)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.checkOutput(new float[3]));
        assertEquals("out: expected float [1, 4, 16] (64 floats), got 3 floats", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> in.checkOutput(null));
        assertEquals("out: expected float [1, 4, 16] (64 floats), got null", e.getMessage());
    }

    @Test
    void metadataSharesOnePlaceholder() {
        AttentionShape s = new AttentionShape(1, 1, 4, 8);
        AttentionInputs a = DeviceInputs.metadata(s, TensorLayout.BHLD).layer(2).build();
        assertSame(a.q(), a.k());
        assertEquals(2, a.layer());
        assertEquals(32, a.q().length);
    }

    @Test
    void globalProjectionsAreAllOrNone() {
        // Records check before any buffer is touched, so nulls stand in for the three mandatory buffers' absence.
        AttentionInputs in = DeviceInputs.metadata(new AttentionShape(1, 1, 4, 8), TensorLayout.BHLD)
                .build();
        NullPointerException n = assertThrows(NullPointerException.class, () -> DeviceInputs.of(in, null, null, null));
        assertEquals("q", n.getMessage());
    }
}
