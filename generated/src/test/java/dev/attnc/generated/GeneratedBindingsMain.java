package dev.attnc.generated;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.Kernels;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaBinding;
import dev.attnc.runtime.cuda.DeviceInputs;
import dev.attnc.runtime.kernel.PatternBinding;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The CUDA host path of the generated library without a device: every softmax pattern's
 * {@code <Name>Kernel.Binding}, found with {@link Kernels#bindings}, packed by
 * {@link CudaBinding#pack} for one padded call with a runtime global mask.
 * {@link GeneratedBindingsWithoutVectorApiTest} runs it without {@code jdk.incubator.vector}.
 */
public final class GeneratedBindingsMain {

    private GeneratedBindingsMain() {}

    public static void main(String[] args) {
        System.out.println("vector module: "
                + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "present" : "absent"));
        report(System.out);
    }

    /** One line per pattern: packed word count, grid.x and a digest of the words. */
    static void report(PrintStream out) {
        for (PatternBinding b : Kernels.bindings(GeneratedBindingsMain.class.getClassLoader())) {
            PatternBinding.Config c = b.config();
            int heads = c.heads() > 0 ? c.heads() : 2;
            int n = 130;
            AttentionShape shape = new AttentionShape(2, heads, n, c.headDim(), c.kvHeads() > 0 ? c.kvHeads() : heads);
            boolean[] globals = new boolean[2 * n];
            globals[7] = true;
            globals[n + 99] = true;
            AttentionInputs.Builder in = DeviceInputs.metadata(shape, TensorLayout.BHLD)
                    .validLengths(n, 100)
                    .globalMask(globals);
            if (c.layoutBlock() > 0) {
                int nb = shape.blocks(c.layoutBlock());
                int[] layout = new int[heads * nb * 2];
                for (int x = 0; x < layout.length; x++) {
                    layout[x] = x * 7 % nb;
                }
                in.randomLayout(layout, c.layoutBlock(), 2);
            }
            AttentionInputs call = in.build();
            CudaBinding packed = CudaBinding.pack(b, call, 64, call.shape().headDim());
            out.println(b.name() + ": " + packed.words().length + " words, grid.x " + packed.gridX() + ", words "
                    + Arrays.hashCode(packed.words()));
        }
    }
}
