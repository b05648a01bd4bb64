package dev.attnc.runtime.cuda;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.kernel.HeadBinding;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The CUDA host path without a device: binds {@link HostTestBinding} and packs it with
 * {@link CudaBinding#pack} for a few shapes, printing what it made. {@link HostWithoutVectorApiTest}
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
            DeviceInputs.metadata(new AttentionShape(1, 2, 16, HostTestBinding.HEAD_DIM), TensorLayout.BHLD).build(),
            DeviceInputs.metadata(new AttentionShape(2, 3, 37, HostTestBinding.HEAD_DIM), TensorLayout.BLHD)
                    .globalMask(globals).validLengths(30, 37).layer(1).build(),
            DeviceInputs.metadata(new AttentionShape(1, 1, 5, HostTestBinding.HEAD_DIM), TensorLayout.BHLD).build(),
        };
        for (AttentionInputs in : cases) {
            for (int queryTile : new int[] {4, 16}) {
                CudaBinding packed = CudaBinding.pack(binding, in, queryTile);
                long covers = 0;
                for (HeadBinding c : binding.bindAll(in)) {
                    covers = covers * 31 + binding.coverDigest(c);
                }
                out.println(in.layout().describe(in.shape()) + " qtile " + queryTile + ": " + packed.words().length
                        + " words, grid.x " + packed.gridX() + ", words " + Arrays.hashCode(packed.words()) + ", covers "
                        + covers);
            }
        }
        try {
            CudaBinding.pack(binding, DeviceInputs.metadata(new AttentionShape(1, 1, 4, 16), TensorLayout.BHLD).build(), 4);
            out.println("head dim 16: accepted");
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
        }
    }
}
