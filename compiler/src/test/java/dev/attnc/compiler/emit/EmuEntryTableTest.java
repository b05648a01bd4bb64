package dev.attnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.compiler.loops.Keys;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmuEntryTableTest {

    private static KernelPlan.Softmax softmax(String name, int d) {
        return new KernelPlan.Softmax(
                name,
                "K",
                d,
                0.125,
                0,
                0,
                0,
                null,
                List.of(),
                List.of(),
                List.of(),
                new Keys.Full(),
                List.of(),
                0,
                "x.attn:1:1",
                "pattern " + name);
    }

    private static KernelPlan.Additive additive(String name, int d, boolean matrix) {
        return new KernelPlan.Additive(name, "K", d, 0.125, 0, false, matrix, "x.attn:1:1", "pattern " + name);
    }

    @Test
    void oneMacroLinePerPlanInOrder() {
        assertEquals(
                "ATTNC_ENTRY(dense, 64)\nATTNC_ADDITIVE(fast, 32, 1)\nATTNC_ADDITIVE(paper, 16, 0)\n",
                EmuEntryTable.text(
                        List.of(softmax("dense", 64), additive("fast", 32, true), additive("paper", 16, false))));
        assertEquals("", EmuEntryTable.text(List.of()));
    }
}
