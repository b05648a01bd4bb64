package dev.attnc.runtime.cuda;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.kernel.AdditiveSpec;
import dev.attnc.runtime.kernel.HeadBinding;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The CUDA host path without a device: binds {@link HostTestBinding} and packs it with
 * {@link CudaBinding#pack} for a few shapes, and checks additive calls with an
 * {@link AdditiveSpec} (as {@code CudaAdditiveKernel} does), printing what it made. {@link HostWithoutVectorApiTest}
 * runs it in a child JVM without {@code jdk.incubator.vector} and in its own.
 */
public final class HostPackMain {

    private HostPackMain() {}

    public static void main(String[] args) {
        System.out.println("vector module: "
                + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "present" : "absent"));
        report(System.out);
    }

    /** One line per shape: sizes, packed word count, grid.x, a digest of the words and of the covers. */
    static void report(PrintStream out) {
        HostTestBinding binding = new HostTestBinding();
        boolean[] globals = new boolean[2 * 37];
        globals[5] = true;
        globals[37 + 20] = true;
        AttentionInputs[] cases = {
            DeviceInputs.metadata(new AttentionShape(1, 2, 16, HostTestBinding.HEAD_DIM), TensorLayout.BHLD)
                    .build(),
            DeviceInputs.metadata(new AttentionShape(2, 3, 37, HostTestBinding.HEAD_DIM), TensorLayout.BLHD)
                    .globalMask(globals)
                    .validLengths(30, 37)
                    .layer(1)
                    .build(),
            DeviceInputs.metadata(new AttentionShape(1, 1, 5, HostTestBinding.HEAD_DIM), TensorLayout.BHLD)
                    .build(),
        };
        for (AttentionInputs in : cases) {
            for (int queryTile : new int[] {4, 16}) {
                CudaBinding packed =
                        CudaBinding.pack(binding, in, queryTile, in.shape().headDim());
                long covers = 0;
                for (HeadBinding c : binding.bindAll(in)) {
                    covers = covers * 31 + binding.coverDigest(c);
                }
                out.println(in.layout().describe(in.shape()) + " qtile " + queryTile + ": " + packed.words().length
                        + " words, grid.x " + packed.gridX() + ", words " + Arrays.hashCode(packed.words())
                        + ", covers "
                        + covers);
            }
        }
        try {
            CudaBinding.pack(
                    binding,
                    DeviceInputs.metadata(new AttentionShape(1, 1, 4, 16), TensorLayout.BHLD)
                            .build(),
                    4,
                    16);
            out.println("head dim 16: accepted");
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
        }
        additive(out);
    }

    /** An additive pattern's host side: accepted calls and each rejection's message. */
    private static void additive(PrintStream out) {
        AdditiveSpec spec = new AdditiveSpec("fast", 4, 0.5, 2, true, true);
        AttentionShape shape = new AttentionShape(2, 2, 3, 4);
        int e = shape.heads() * shape.headDim();
        float[] act = new float[shape.elements()];
        AdditiveInputs matrix = AdditiveInputs.builder(shape)
                .qkv(act, act, null)
                .poolingMatrices(new float[2 * e], null, new float[2 * e], null)
                .build();
        AdditiveInputs vectors = AdditiveInputs.builder(shape)
                .qkv(act, act, null)
                .poolingVectors(new float[e], null, new float[e], null)
                .build();
        AdditiveInputs threeHeads = AdditiveInputs.builder(new AttentionShape(1, 3, 3, 4))
                .qkv(new float[36], new float[36], null)
                .poolingMatrices(new float[36], null, new float[36], null)
                .build();
        Object[][] calls = {{matrix, act}, {matrix, new float[1]}, {vectors, act}, {threeHeads, new float[36]}};
        for (Object[] call : calls) {
            try {
                spec.check((AdditiveInputs) call[0], (float[]) call[1]);
                out.println("additive " + ((AdditiveInputs) call[0]).shape() + ": accepted");
            } catch (IllegalArgumentException ex) {
                out.println(ex.getMessage());
            }
        }
    }
}
