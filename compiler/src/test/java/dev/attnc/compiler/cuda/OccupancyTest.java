package dev.attnc.compiler.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.cuda.Occupancy.Limiter;
import dev.attnc.compiler.cuda.Occupancy.Limits;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Occupancy against cases computed by hand with the Occupancy Calculator's rules (comments show the sums). */
class OccupancyTest {

    private static void expect(Occupancy o, int blocks, int warps, Limiter... limiters) {
        assertEquals(blocks, o.blocksPerSm(), "blocks per SM of " + o);
        assertEquals(warps, o.warpsPerSm(), "warps per SM of " + o);
        assertEquals(Set.of(limiters), o.limiters(), "limiters of " + o);
        assertEquals(limiters[0], o.limiter(), "first limiter of " + o);
    }

    @Test
    void registerLimited() {
        // 8 warps/block; 128·32 = 4096 regs/warp; 65536/4096 = 16 warps -> 2 blocks (warps allow 8, smem 164)
        Occupancy o = Occupancy.of(Limits.SM_80, 256, 128, 0);
        expect(o, 2, 16, Limiter.REGISTERS);
        assertEquals(0.25, o.fraction(), 0.0);
    }

    @Test
    void registersRoundUpPerWarpAndWarpsInGroupsOfFour() {
        // 166·32 = 5312 -> 5376 (21·256); 65536/5376 = 12 warps; 4 warps/block -> 3 blocks
        expect(Occupancy.of(Limits.SM_80, 128, 166, 0), 3, 12, Limiter.REGISTERS);
        // 96·32 = 3072; 65536/3072 = 21 -> 20 (groups of 4); 4 warps/block -> 5 blocks
        expect(Occupancy.of(Limits.SM_90, 128, 96, 0), 5, 20, Limiter.REGISTERS);
    }

    @Test
    void sharedMemoryLimitedDependsOnTheArchitecture() {
        // 43 KB + 1 KB reserved = 45056 B/block; sm_80 167936/45056 = 3; sm_90 233472/45056 = 5
        // (registers: 32·32 = 1024/warp -> 64 warps -> 16 blocks)
        expect(Occupancy.of(Limits.SM_80, 128, 32, 43 * 1024), 3, 12, Limiter.SHARED_MEMORY);
        expect(Occupancy.of(Limits.SM_90, 128, 32, 43 * 1024), 5, 20, Limiter.SHARED_MEMORY);
    }

    @Test
    void sharedMemoryCountsTheReservedKilobyteAndRoundsTo128Bytes() {
        // 57344 + 1024 = 58368 = 233472/4 exactly -> 4 blocks; one byte more rounds to 58496 -> 3
        expect(Occupancy.of(Limits.SM_90, 64, 32, 57344), 4, 8, Limiter.SHARED_MEMORY);
        expect(Occupancy.of(Limits.SM_90, 64, 32, 57345), 3, 6, Limiter.SHARED_MEMORY);
    }

    @Test
    void blockLimited() {
        // one warp per block, 16 regs: warps allow 64 blocks, registers 128, smem 164, the block cap 32
        expect(Occupancy.of(Limits.SM_90, 32, 16, 0), 32, 32, Limiter.BLOCKS);
        // 33 threads take two warps: warps allow 32 blocks, a tie with the block cap: both named
        expect(Occupancy.of(Limits.SM_90, 33, 16, 0), 32, 64, Limiter.WARPS, Limiter.BLOCKS);
    }

    @Test
    void warpLimited() {
        // 32 warps/block: warps allow 2 blocks, registers (16·32 = 512/warp -> 128 warps) 4
        Occupancy o = Occupancy.of(Limits.SM_80, 1024, 16, 0);
        expect(o, 2, 64, Limiter.WARPS);
        assertEquals(1.0, o.fraction(), 0.0);
    }

    @Test
    void aBlockThatDoesNotFitGivesZero() {
        // 255·32 = 8160 -> 8192/warp; 65536/8192 = 8 warps < 32 warps of one block
        expect(Occupancy.of(Limits.SM_80, 1024, 255, 0), 0, 0, Limiter.REGISTERS);
        // 164 KB static + 1 KB reserved > 164 KB
        expect(Occupancy.of(Limits.SM_80, 128, 32, 164 * 1024), 0, 0, Limiter.SHARED_MEMORY);
    }

    @Test
    void aTieNamesEveryLimit() {
        // 166 regs -> 3 blocks of 4 warps, 43904 + 1024 = 44928 B -> 167936/44928 = 3 blocks
        expect(Occupancy.of(Limits.SM_80, 128, 166, 43904), 3, 12, Limiter.REGISTERS, Limiter.SHARED_MEMORY);
    }

    @Test
    void tableHoldsSm80AndSm90Only() {
        assertEquals(Limits.SM_80, Limits.of(new CudaArch(80)).orElseThrow());
        assertEquals(Limits.SM_90, Limits.of(new CudaArch(90)).orElseThrow());
        assertTrue(Limits.of(new CudaArch(120)).isEmpty());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Occupancy.of(Limits.SM_80, 0, 32, 0));
        assertTrue(e.getMessage().contains("threadsPerBlock"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Occupancy.of(Limits.SM_80, 128, 256, 0));
        assertTrue(e.getMessage().contains("registersPerThread"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Occupancy.of(Limits.SM_80, 128, 32, -1));
        assertTrue(e.getMessage().contains("sharedBytesPerBlock"), e.getMessage());
    }
}
