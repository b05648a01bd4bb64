package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.attnc.runtime.cuda.CudaEntries.AdditiveStage;
import org.junit.jupiter.api.Test;

/** The entry names the emitter writes and the host code loads (the golden .cu files pin the emitter's side). */
class CudaEntriesTest {

    @Test
    void softmaxEntriesAreThePatternAndTheDtypeSuffix() {
        assertEquals("local_64_f32", CudaEntries.softmax("local_64", CudaDtype.F32));
        assertEquals("local_64_f16", CudaEntries.softmax("local_64", CudaDtype.F16));
        assertEquals("local_64_bf16", CudaEntries.softmax("local_64", CudaDtype.BF16));
    }

    @Test
    void additiveEntriesNameTheStageAndTheCombineIgnoresTheDtype() {
        assertEquals("ff_pool_bf16", CudaEntries.additive("ff", AdditiveStage.POOL, CudaDtype.BF16));
        assertEquals("ff_combine", CudaEntries.additive("ff", AdditiveStage.COMBINE, CudaDtype.F16));
        assertEquals("ff_out_f32", CudaEntries.additive("ff", AdditiveStage.OUT, CudaDtype.F32));
    }

    @Test
    void theSpecSpellingsParse() {
        assertEquals(CudaDtype.F16, CudaDtype.parse("fp16").orElseThrow());
        assertEquals(CudaDtype.BF16, CudaDtype.parse("bf16").orElseThrow());
        assertFalse(CudaDtype.parse("f16").isPresent());
    }
}
