package dev.attnc.compiler.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaBinding;
import dev.attnc.runtime.cuda.DeviceInputs;
import dev.attnc.runtime.kernel.PatternBinding;
import dev.attnc.runtime.kernel.SparseAttentionKernel;
import org.junit.jupiter.api.Test;

/** {@link KernelCompiler#binding}: the generated host side alone, the same as the kernel's own. */
class KernelCompilerTest {

    private static final String SPEC = """
            pattern local {
              head_dim 16
              heads 2
              window 3 each side
              global tokens [0] and from input
            }
            pattern pooled {
              head_dim 16
              additive
            }
            """;

    @Test
    void bindingAloneBindsAsTheKernelDoes() {
        PatternBinding alone = KernelCompiler.binding(SPEC, "local");
        SparseAttentionKernel kernel = (SparseAttentionKernel) KernelCompiler.softmax(SPEC, "local");
        assertNotSame(alone, kernel.binding());
        assertEquals("local", alone.name());
        assertEquals(16, alone.headDim());
        assertEquals(kernel.binding().config(), alone.config());
        boolean[] globals = new boolean[2 * 40];
        globals[17] = true;
        AttentionInputs in = DeviceInputs.metadata(new AttentionShape(2, 2, 40, 16), TensorLayout.BLHD)
                .globalMask(globals)
                .validLengths(40, 31)
                .build();
        assertArrayEquals(
                CudaBinding.pack(kernel.binding(), in, 8, 16).words(),
                CudaBinding.pack(alone, in, 8, 16).words());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CudaBinding.pack(
                        alone,
                        DeviceInputs.metadata(new AttentionShape(1, 3, 40, 16), TensorLayout.BHLD)
                                .build(),
                        8,
                        16));
        assertEquals(
                "q, k, v: pattern 'local' has 2 heads, got [1, 3, 40, 16] in layout BHLD (3 heads)", e.getMessage());
    }

    @Test
    void additivePatternsHaveNoBinding() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> KernelCompiler.binding(SPEC, "pooled"));
        assertEquals("pattern 'pooled' is additive attention: it has no binding", e.getMessage());
    }
}
