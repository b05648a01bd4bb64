package dev.attnc.runtime.cuda;

/**
 * A tiny PTX module for device tests, written by hand (PTX ISA 7.0, sm_52, so that any driver
 * from CUDA 11 on can JIT it for its GPU):
 *
 * <pre>
 * extern "C" __global__ void vadd(const float* a, const float* b, float* c, int n)
 * { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) c[i] = a[i] + b[i]; }
 * extern "C" __global__ void vfill(float* c, float value, const int* n)   // c[i] = value, n read from device
 * </pre>
 */
final class VectorAddPtx {

    private VectorAddPtx() {}

    static final String PTX = """
            .version 7.0
            .target sm_52
            .address_size 64

            .visible .entry vadd(
                .param .u64 vadd_a,
                .param .u64 vadd_b,
                .param .u64 vadd_c,
                .param .u32 vadd_n
            )
            {
                .reg .pred %p<2>;
                .reg .f32 %f<4>;
                .reg .b32 %r<6>;
                .reg .b64 %rd<11>;

                ld.param.u64 %rd1, [vadd_a];
                ld.param.u64 %rd2, [vadd_b];
                ld.param.u64 %rd3, [vadd_c];
                ld.param.u32 %r2, [vadd_n];
                mov.u32 %r3, %ctaid.x;
                mov.u32 %r4, %ntid.x;
                mov.u32 %r5, %tid.x;
                mad.lo.s32 %r1, %r3, %r4, %r5;
                setp.ge.s32 %p1, %r1, %r2;
                @%p1 bra DONE;
                cvta.to.global.u64 %rd4, %rd1;
                mul.wide.s32 %rd5, %r1, 4;
                add.s64 %rd6, %rd4, %rd5;
                cvta.to.global.u64 %rd7, %rd2;
                add.s64 %rd8, %rd7, %rd5;
                ld.global.f32 %f1, [%rd8];
                ld.global.f32 %f2, [%rd6];
                add.f32 %f3, %f2, %f1;
                cvta.to.global.u64 %rd9, %rd3;
                add.s64 %rd10, %rd9, %rd5;
                st.global.f32 [%rd10], %f3;
            DONE:
                ret;
            }

            .visible .entry vfill(
                .param .u64 vfill_c,
                .param .f32 vfill_value,
                .param .u64 vfill_n
            )
            {
                .reg .pred %p<2>;
                .reg .f32 %f<2>;
                .reg .b32 %r<6>;
                .reg .b64 %rd<6>;

                ld.param.u64 %rd1, [vfill_c];
                ld.param.f32 %f1, [vfill_value];
                ld.param.u64 %rd2, [vfill_n];
                cvta.to.global.u64 %rd3, %rd2;
                ld.global.u32 %r2, [%rd3];
                mov.u32 %r3, %ctaid.x;
                mov.u32 %r4, %ntid.x;
                mov.u32 %r5, %tid.x;
                mad.lo.s32 %r1, %r3, %r4, %r5;
                setp.ge.s32 %p1, %r1, %r2;
                @%p1 bra FILLED;
                cvta.to.global.u64 %rd4, %rd1;
                mul.wide.s32 %rd5, %r1, 4;
                add.s64 %rd4, %rd4, %rd5;
                st.global.f32 [%rd4], %f1;
            FILLED:
                ret;
            }
            """;
}
