package dev.attnc.runtime.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The weights of one model folder as Hugging Face saves them: a single {@value #SINGLE} or shards
 * listed by {@value #INDEX}. Names are the checkpoint's own (e.g.
 * {@code longformer.encoder.layer.0.attention.self.query.weight}); each resolves to the file that
 * holds it.
 *
 * <p>{@link #open} opens and checks every file's header and, for shards, that each shard exists
 * and holds every tensor the index maps to it; tensor data is read only when asked for, as in
 * {@link SafeTensors}. Thread-safe for reads, like {@code SafeTensors}.
 */
public final class Checkpoint implements AutoCloseable {

    /** The file of an unsharded checkpoint. */
    public static final String SINGLE = "model.safetensors";

    /** The index of a sharded checkpoint. */
    public static final String INDEX = "model.safetensors.index.json";

    private final Path source; // the folder, the index or the file: what errors about names cite
    private final List<SafeTensors> files;
    private final NavigableMap<String, SafeTensors> byName;

    private Checkpoint(Path source, List<SafeTensors> files, NavigableMap<String, SafeTensors> byName) {
        this.source = source;
        this.files = List.copyOf(files);
        this.byName = Collections.unmodifiableNavigableMap(byName);
    }

    /**
     * Opens a model folder ({@value #SINGLE} if present, else {@value #INDEX}), or a file: an
     * index if its name ends in {@code .json}, else one safetensors file.
     *
     * @throws WeightsException naming the folder or file (and the tensor where there is one) if
     *     neither file is in the folder, or any file is missing or invalid, or a shard lacks a
     *     tensor the index maps to it
     */
    public static Checkpoint open(Path dirOrFile) {
        Objects.requireNonNull(dirOrFile, "dirOrFile");
        if (Files.isDirectory(dirOrFile)) {
            Path single = dirOrFile.resolve(SINGLE);
            if (Files.isRegularFile(single)) {
                return single(dirOrFile, single);
            }
            Path index = dirOrFile.resolve(INDEX);
            if (Files.isRegularFile(index)) {
                return sharded(index);
            }
            throw WeightsException.in(
                    dirOrFile,
                    "neither " + SINGLE + " nor " + INDEX + " is in this folder (it holds: " + listing(dirOrFile)
                            + ")");
        }
        if (!Files.exists(dirOrFile)) {
            throw WeightsException.in(dirOrFile, "no such file or folder");
        }
        Path name = dirOrFile.getFileName();
        if (name != null && name.toString().endsWith(".json")) {
            return sharded(dirOrFile);
        }
        return single(dirOrFile, dirOrFile);
    }

    private static Checkpoint single(Path source, Path file) {
        SafeTensors st = SafeTensors.open(file);
        NavigableMap<String, SafeTensors> byName = new TreeMap<>();
        for (String n : st.names()) {
            byName.put(n, st);
        }
        return new Checkpoint(source, List.of(st), byName);
    }

    private static Checkpoint sharded(Path indexFile) {
        ShardIndex index = ShardIndex.read(indexFile);
        Map<String, SafeTensors> shards = new TreeMap<>();
        List<SafeTensors> opened = new ArrayList<>();
        try {
            for (String shardName : new TreeSet<>(index.weightMap().values())) {
                Path shardFile = indexFile.resolveSibling(shardName);
                if (!Files.isRegularFile(shardFile)) {
                    String first = index.weightMap().entrySet().stream()
                            .filter(e -> e.getValue().equals(shardName))
                            .findFirst()
                            .orElseThrow()
                            .getKey();
                    long count = index.weightMap().values().stream()
                            .filter(shardName::equals)
                            .count();
                    throw WeightsException.tensor(
                            indexFile,
                            first,
                            "its shard '" + shardName + "' (holding " + count
                                    + " tensors of the index) is not a file in "
                                    + indexFile.toAbsolutePath().getParent());
                }
                SafeTensors shard = SafeTensors.open(shardFile);
                opened.add(shard);
                shards.put(shardName, shard);
            }
            NavigableMap<String, SafeTensors> byName = new TreeMap<>();
            for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
                SafeTensors shard = shards.get(e.getValue());
                if (!shard.has(e.getKey())) {
                    throw WeightsException.tensor(
                            indexFile,
                            e.getKey(),
                            "the index maps it to shard '" + e.getValue() + "', which holds no tensor of that name ("
                                    + shard.names().size() + " others)");
                }
                byName.put(e.getKey(), shard);
            }
            return new Checkpoint(indexFile, opened, byName);
        } catch (RuntimeException | Error e) {
            try {
                closeAll(opened);
            } catch (WeightsException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            if (names.isEmpty()) {
                return "nothing";
            }
            int shown = Math.min(names.size(), 10);
            return String.join(", ", names.subList(0, shown))
                    + (names.size() > shown ? ", and " + (names.size() - shown) + " more" : "");
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /**
     * Where the names come from, which errors about a name start with: the folder of a single
     * {@value #SINGLE}, the index of shards, or the file given to {@link #open}.
     */
    public Path path() {
        return source;
    }

    /** The safetensors files, one per shard, in shard-name order. */
    public List<Path> files() {
        return files.stream().map(SafeTensors::file).collect(Collectors.toUnmodifiableList());
    }

    /** The tensor names, sorted (unmodifiable): for shards, the index's names. */
    public Set<String> names() {
        return byName.navigableKeySet();
    }

    /** Whether the checkpoint has a tensor of this name. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * The checked header entry of a tensor (its offsets relative to its own file's data section).
     *
     * @throws WeightsException naming the checkpoint and the tensor if there is none of that name
     */
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    /**
     * A floating-point tensor as floats, as {@link SafeTensors#floats}.
     *
     * @throws WeightsException naming the file and the tensor, as {@link SafeTensors#floats}
     */
    public float[] floats(String name) {
        return file(name).floats(name);
    }

    /**
     * An integer or BOOL tensor as longs, as {@link SafeTensors#longs}.
     *
     * @throws WeightsException naming the file and the tensor, as {@link SafeTensors#longs}
     */
    public long[] longs(String name) {
        return file(name).longs(name);
    }

    /**
     * The file that holds a tensor.
     *
     * @throws WeightsException naming the checkpoint and the tensor if there is none of that name
     */
    public Path source(String name) {
        return file(name).file();
    }

    /** Closes every file. Idempotent. */
    @Override
    public void close() {
        closeAll(files);
    }

    /** Closes every file, then throws the first failure (the others suppressed in it), if any. */
    private static void closeAll(List<SafeTensors> files) {
        WeightsException first = null;
        for (SafeTensors f : files) {
            try {
                f.close();
            } catch (WeightsException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + source + ", " + byName.size() + " tensors in " + files.size() + " files]";
    }

    private SafeTensors file(String name) {
        SafeTensors f = byName.get(name);
        if (f == null) {
            throw TensorLookup.missing(source, name, byName.navigableKeySet());
        }
        return f;
    }
}
