package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Main and test kernels are all registered, under the configured package. */
class LibraryTest {

    @Test
    void everyKernelIsRegistered() {
        ClassLoader cl = getClass().getClassLoader();
        List<String> softmax = Kernels.attention(cl).stream().map(AttentionKernel::name).toList();
        assertEquals(List.of("blocky", "doc_local", "probe"), softmax);
        assertEquals(List.of("fast_pool"), Kernels.additive(cl).stream().map(AdditiveKernel::name).toList());
        assertEquals("com.acme.attention.DocLocalKernel", Kernels.attention("doc_local").getClass().getName());
        assertEquals(32, Kernels.attention("doc_local").headDim());
    }
}
