package dev.attnc.compiler.tune;

import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.PatternIR;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A pattern as the schedule cache knows it: its name and a hash of its IR as
 * {@link IrPrinter} prints it, without the source positions (moving a spec or editing its
 * comments keeps the key; changing what the pattern attends, its head dim or its heads changes
 * it).
 */
public final class PatternKey {

    private PatternKey() {}

    /** {@code <name>-<first 16 hex digits of the SHA-256 of the IR>}. */
    public static String of(PatternIR p) {
        String ir = IrPrinter.print(p).replaceAll("(?m)  ; .*$", "");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(ir.getBytes(StandardCharsets.UTF_8));
            return MachineKey.clean(p.name()) + "-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
