package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.cuda.PtxMix.Count;
import dev.attnc.compiler.cuda.PtxMix.Function;
import dev.attnc.compiler.cuda.PtxMix.Loop;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** PtxMix on hand-written PTX whose counts are given in the comments (instructions numbered from 0). */
class PtxMixTest {

    private static final String HEADER = ".version 9.0\n.target sm_90\n.address_size 64\n\n";

    @Test
    void countsStatementsNotDirectivesLabelsCommentsOrBraces() {
        String ptx = HEADER
                + "\t// .globl\tk\n"
                + ".visible .entry k(\n\t.param .u64 k_param_0,\n\t.param .u32 k_param_1\n)\n"
                + ".maxntid 64, 2, 1\n"
                + "{\n"
                + "\t.reg .pred \t%p<3>;\n"
                + "\t.reg .f32 \t%f<9>;\n"
                + "\tld.param.u64 \t%rd1, [k_param_0];\n" // 0
                + "\tmov.u32 \t%r1, 0;  // a comment; with a semicolon\n" // 1
                + "$L__BB0_1:\n"
                + "\t.pragma \"nounroll\";\n"
                + "\twmma.mma.sync.aligned.row.col.m16n16k16.f32.f32 {%f1, %f2},\n" // 2, over two lines
                + "\t\t{%r2, %r3}, {%r4, %r5}, {%f1, %f2};\n"
                + "\t/* block\n comment; */ add.s32 \t%r1, %r1, 1;\n" // 3
                + "\t{ // callseq 0, 0\n"
                + "\t{  cvt.rn.f16.f32 %rs1, %f1;}\n" // 4 (inline asm braces)
                + "\t}\n"
                + "\tsetp.ne.s32 \t%p1, %r1, 8;\n" // 5
                + "\t@%p1 bra \t$L__BB0_1;\n" // 6
                + "\tret;\n" // 7
                + "}\n";
        Function k = PtxMix.parse(ptx).functions().get(0);
        assertEquals("k", k.name());
        assertEquals(OptionalInt.of(128), k.threadsPerBlock());
        assertEquals(new Count(8, 1), k.whole());
        assertEquals(Optional.of(new Loop("$L__BB0_1", new Count(5, 1))), k.mainLoop());
        assertEquals(1.0 / 8, k.whole().share(), 0.0);
    }

    @Test
    void theMainLoopIsTheSmallestLoopHoldingTheMostTensorCoreInstructions() {
        String ptx = HEADER
                + ".visible .entry nest(\n)\n{\n"
                + "OUTER:\n"
                + "\tadd.s32 %r1, %r1, 1;\n" // 0
                + "INNER:\n"
                + "\tmma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%f1}, {%r1}, {%r2}, {%f1};\n" // 1
                + "\twgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 {%f1}, %rd1, %rd2, 1, 1, 1, 0, 0;\n" // 2
                + "\t@!%p1 bra.uni INNER;\n" // 3: inner loop 1..3, 2 tensor-core
                + "SCALAR:\n"
                + "\tadd.s32 %r2, %r2, 1;\n" // 4
                + "\t@%p2 bra SCALAR;\n" // 5: scalar loop 4..5
                + "\t@%p3 bra OUTER;\n" // 6: outer loop 0..6, 2 tensor-core
                + "\t@%p4 bra DONE;\n" // 7: forward, not a loop
                + "DONE:\n"
                + "\tret;\n" // 8
                + "}\n";
        Function f = PtxMix.parse(ptx).find("nest").orElseThrow();
        assertEquals(OptionalInt.empty(), f.threadsPerBlock());
        assertEquals(new Count(9, 2), f.whole());
        assertEquals(Optional.of(new Loop("INNER", new Count(3, 2))), f.mainLoop());
    }

    @Test
    void withoutTensorCoreInstructionsTheLargestLoopIsReported() {
        String ptx = HEADER
                + ".visible .entry scalar(\n)\n.maxntid 256\n{\n"
                + "A:\n\tadd.s32 %r1, %r1, 1;\n" // 0
                + "B:\n\tadd.s32 %r2, %r2, 1;\n" // 1
                + "\twmma.load.a.sync.aligned.row.m16n16k16.global.f16 {%r3}, [%rd1], %r4;\n" // 2: not math
                + "\t@%p2 bra B;\n" // 3
                + "\t@%p1 bra A;\n" // 4
                + "\tret;\n}\n";
        Function f = PtxMix.parse(ptx).functions().get(0);
        assertEquals(OptionalInt.of(256), f.threadsPerBlock());
        assertEquals(new Count(6, 0), f.whole());
        assertEquals(Optional.of(new Loop("A", new Count(5, 0))), f.mainLoop());
    }

    @Test
    void entriesInOrderDeviceFunctionsSkippedNoLoopIsEmpty() {
        String ptx = HEADER
                + ".func (.param .b32 r) helper(\n\t.param .b32 a\n)\n{\n\tmma.sync.x;\n\tret;\n}\n"
                + ".visible .entry b(\n)\n{\n\tret;\n}\n"
                + ".visible .entry a(\n\t.param .u64 a_param_0\n)\n{\n\texit;\n\tret;\n}\n";
        PtxMix m = PtxMix.parse(ptx);
        assertEquals(2, m.functions().size());
        assertEquals("b", m.functions().get(0).name());
        assertEquals(new Count(2, 0), m.find("a").orElseThrow().whole());
        assertFalse(m.find("a").orElseThrow().mainLoop().isPresent());
        assertFalse(m.find("helper").isPresent());
        assertEquals(0.0, new Count(0, 0).share(), 0.0);
    }

    @Test
    void calledFunctionsCountIntoTheEntryOnceEach() {
        String ptx = HEADER
                + ".extern .func (.param .b32 r) declared(\n\t.param .b32 a\n);\n"
                + ".func leaf(\n\t.param .b64 p\n)\n{\n\tmma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 x;\n\tret;\n}\n"
                + ".func (.param .b32 r) mid(\n\t.param .b32 a\n)\n{\n\t{ // callseq 0, 0\n"
                + "\tcall.uni \n\tleaf, \n\t(\n\tparam0\n\t);\n\t}\n\tcall.uni (retval0), mid, (param0);\n\tret;\n}\n"
                + ".visible .entry k(\n)\n{\n\tcall.uni (retval0), mid, (param0);\n"
                + "\tcall.uni leaf, (param0);\n\tcall.uni (retval0), declared, (param0);\n\tret;\n}\n";
        Function k = PtxMix.parse(ptx).find("k").orElseThrow();
        // own 4 + mid 3 (recursion counted once) + leaf 2, declared has no body
        assertEquals(new Count(9, 1), k.whole());
        assertEquals(1, PtxMix.parse(ptx).functions().size());
    }

    @Test
    void tensorCoreOpcodes() {
        assertTrue(PtxMix.isTensorCore("wmma.mma.sync.aligned.row.col.m16n16k16.f32.f16"));
        assertTrue(PtxMix.isTensorCore("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32"));
        assertTrue(PtxMix.isTensorCore("mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32"));
        assertTrue(PtxMix.isTensorCore("wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16"));
        assertFalse(PtxMix.isTensorCore("wgmma.fence.sync.aligned"));
        assertFalse(PtxMix.isTensorCore("wmma.load.a.sync.aligned.row.m16n16k16.f16"));
        assertFalse(PtxMix.isTensorCore("mad.lo.s32"));
    }

    @Test
    void anUnclosedBodyIsAnError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PtxMix.parse(HEADER + ".visible .entry k(\n)\n{\n\tret;\n"));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
    }
}
