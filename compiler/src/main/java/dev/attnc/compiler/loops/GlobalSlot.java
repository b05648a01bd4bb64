package dev.attnc.compiler.loops;

import java.util.List;

/** The token set of one {@code global} term, built per (batch item, layer, head) into {@code g[index]}. */
public record GlobalSlot(int index, List<GlobalItem> items) {
    public GlobalSlot {
        items = List.copyOf(items);
    }
}
