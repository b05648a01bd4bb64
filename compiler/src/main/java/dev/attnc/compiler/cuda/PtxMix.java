package dev.attnc.compiler.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instruction mix of the entry functions of one PTX module: how many instructions each has and
 * how many of them are tensor-core instructions, for the whole function and for its main loop.
 *
 * <p>What counts:
 *
 * <ul>
 *   <li>an <em>instruction</em> is a PTX statement ending in {@code ;} that is not a directive
 *       (directives start with {@code .}: {@code .reg}, {@code .shared}, {@code .pragma}, ...);
 *       labels and the braces of scopes and inline-asm blocks are not instructions. A predicated
 *       instruction ({@code @%p1 bra ...}) counts once, its opcode being the word after the guard;
 *   <li>a <em>tensor-core</em> instruction is one whose opcode starts with {@code wmma.mma},
 *       {@code mma.} ({@code mma.sync}, {@code mma.sp}), {@code wgmma.mma_async} or
 *       {@code tcgen05.mma} ({@link #isTensorCore});
 *   <li>a <em>loop</em> is the run of instructions from a label to a later {@code bra} (predicated
 *       or not) that jumps back to it, both ends included;
 *   <li>the <em>main loop</em> reported is the loop holding the most tensor-core instructions,
 *       the smallest such on a tie (so the innermost loop around them); when no loop holds one,
 *       the largest loop (the outermost). Ties after that go to the loop starting first;
 *   <li>an entry's <em>whole</em> count is its own instructions plus those of every {@code .func}
 *       it calls, directly or through other functions, each function counted once (a call site
 *       is one {@code call} instruction); the engine keeps cold per-block code such as the
 *       pattern's cover out of line, and that code is still part of the kernel;
 * </ul>
 *
 * <p>Guarantees: {@link #parse} is a pure function of its text; {@link #functions()} keeps the
 * order of the entries in the module, and holds entries only ({@code .func} bodies are counted
 * into the entries that call them). The main loop is looked for in the entry's own body.
 *
 * @param functions one per {@code .entry}, in module order
 */
public record PtxMix(List<Function> functions) {

    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$%][\\w$]*)\\s*\\(");
    private static final Pattern MAXNTID =
            Pattern.compile("\\.maxntid\\s+(\\d+)(?:\\s*,\\s*(\\d+))?(?:\\s*,\\s*(\\d+))?");
    private static final Pattern LABEL = Pattern.compile("\\G([A-Za-z_$][\\w$]*)\\s*:");
    private static final Pattern FUNC = Pattern.compile("\\.func\\s+(?:\\([^)]*\\)\\s*)?([A-Za-z_$%][\\w$]*)\\s*\\(");
    private static final Pattern CALLEE = Pattern.compile("^\\s*(?:\\([^)]*\\)\\s*,\\s*)?([A-Za-z_$%][\\w$]*)");

    public PtxMix {
        functions = List.copyOf(functions);
    }

    /**
     * Instructions and tensor-core instructions of a stretch of code.
     *
     * @param instructions all instructions
     * @param tensorCore those that are tensor-core instructions
     */
    public record Count(int instructions, int tensorCore) {

        /** Tensor-core instructions over all instructions; 0 for no instructions. */
        public double share() {
            return instructions == 0 ? 0 : (double) tensorCore / instructions;
        }
    }

    /**
     * A loop of a function.
     *
     * @param label the label the back branch jumps to (the loop's head)
     * @param count the instructions from the label to the back branch, both included
     */
    public record Loop(String label, Count count) {}

    /**
     * One entry function.
     *
     * @param name its symbol as in the PTX
     * @param threadsPerBlock the product of its {@code .maxntid} dimensions (from
     *     {@code __launch_bounds__}); empty when the PTX has none
     * @param whole every instruction of the body
     * @param mainLoop the main loop (see the class comment); empty for a function without a loop
     */
    public record Function(String name, OptionalInt threadsPerBlock, Count whole, Optional<Loop> mainLoop) {
        public Function {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(threadsPerBlock, "threadsPerBlock");
            Objects.requireNonNull(whole, "whole");
            Objects.requireNonNull(mainLoop, "mainLoop");
        }
    }

    /** The entry called {@code name}, if the module has it. */
    public Optional<Function> find(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** True for an opcode (with its type suffixes, no guard) that runs on the tensor cores. */
    public static boolean isTensorCore(String opcode) {
        return opcode.startsWith("wmma.mma")
                || opcode.startsWith("mma.")
                || opcode.startsWith("wgmma.mma_async")
                || opcode.startsWith("tcgen05.mma");
    }

    /**
     * Reads a PTX module as nvcc writes it ({@code nvcc -ptx}, or the {@code .ptx} files of {@code -keep}).
     *
     * @throws IllegalArgumentException if an entry's parameter list or body is not closed
     */
    public static PtxMix parse(String ptx) {
        Objects.requireNonNull(ptx, "ptx");
        String text = stripComments(ptx);
        Map<String, Body> funcs = new HashMap<>();
        Matcher f = FUNC.matcher(text);
        int at = 0;
        while (f.find(at)) {
            String name = f.group(1);
            int close = closingParen(text, f.end() - 1);
            int semi = text.indexOf(';', close);
            int open = text.indexOf('{', close);
            if (open < 0 || (semi >= 0 && semi < open)) {
                at = close + 1; // a declaration (prototype) without a body
                continue;
            }
            int end = matchingBrace(text, open, name);
            funcs.put(name, body("", text.substring(open + 1, end)));
            at = end + 1;
        }
        List<Function> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(text);
        int from = 0;
        while (m.find(from)) {
            String name = m.group(1);
            int close = text.indexOf(')', m.end());
            int open = close < 0 ? -1 : text.indexOf('{', close);
            if (open < 0) {
                throw new IllegalArgumentException("PTX entry '" + name + "' has no body");
            }
            int end = matchingBrace(text, open, name);
            Body b = body(text.substring(close + 1, open), text.substring(open + 1, end));
            int instructions = b.own.instructions();
            int tensor = b.own.tensorCore();
            for (String callee : callees(b, funcs)) {
                instructions += funcs.get(callee).own.instructions();
                tensor += funcs.get(callee).own.tensorCore();
            }
            out.add(new Function(name, b.threads, new Count(instructions, tensor), b.mainLoop));
            from = end + 1;
        }
        return new PtxMix(out);
    }

    /** One parsed body: its own count, main loop, launch bound and the functions it calls. */
    private record Body(Count own, Optional<Loop> mainLoop, OptionalInt threads, List<String> calls) {}

    /** Every function {@code b} reaches through calls, each once, in first-reached order. */
    private static Set<String> callees(Body b, Map<String, Body> funcs) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(b.calls);
        while (!todo.isEmpty()) {
            String c = todo.poll();
            Body callee = funcs.get(c);
            if (callee != null && seen.add(c)) {
                todo.addAll(callee.calls);
            }
        }
        return seen;
    }

    private static int closingParen(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("PTX function parameter list not closed at offset " + open);
    }

    private static Body body(String header, String body) {
        OptionalInt threads = OptionalInt.empty();
        Matcher t = MAXNTID.matcher(header);
        if (t.find()) {
            int n = 1;
            for (int g = 1; g <= 3; g++) {
                n *= t.group(g) == null ? 1 : Integer.parseInt(t.group(g));
            }
            threads = OptionalInt.of(n);
        }
        List<Boolean> tensor = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        List<int[]> backBranches = new ArrayList<>(); // {head index, branch index}
        List<String> branchTargets = new ArrayList<>();
        List<Integer> branchAt = new ArrayList<>();
        Matcher label = LABEL.matcher(body);
        int pos = 0;
        int n = body.length();
        while (true) {
            while (pos < n
                    && (Character.isWhitespace(body.charAt(pos))
                            || body.charAt(pos) == '{'
                            || body.charAt(pos) == '}')) {
                pos++;
            }
            if (pos >= n) {
                break;
            }
            label.region(pos, n);
            if (label.lookingAt()) {
                labels.put(label.group(1), tensor.size());
                pos = label.end();
                continue;
            }
            int semi = body.indexOf(';', pos);
            if (semi < 0) {
                semi = n; // a trailing statement without ';' (not valid PTX): counted like the rest
            }
            String statement = body.substring(pos, semi).strip();
            pos = semi + 1;
            if (statement.startsWith(".")) {
                continue;
            }
            String[] words = statement.split("\\s+", 3);
            int op = words[0].startsWith("@") ? 1 : 0;
            if (op >= words.length) {
                continue;
            }
            String opcode = words[op];
            if (opcode.equals("bra") || opcode.startsWith("bra.")) {
                String operands = statement
                        .substring(statement.indexOf(opcode) + opcode.length())
                        .strip();
                branchTargets.add(operands);
                branchAt.add(tensor.size());
            }
            if (opcode.equals("call") || opcode.startsWith("call.")) {
                Matcher c = CALLEE.matcher(statement.substring(statement.indexOf(opcode) + opcode.length()));
                if (c.find()) {
                    calls.add(c.group(1));
                }
            }
            tensor.add(isTensorCore(opcode));
        }
        int[] prefix = new int[tensor.size() + 1];
        for (int i = 0; i < tensor.size(); i++) {
            prefix[i + 1] = prefix[i] + (tensor.get(i) ? 1 : 0);
        }
        for (int b = 0; b < branchAt.size(); b++) {
            Integer head = labels.get(branchTargets.get(b));
            if (head != null && head <= branchAt.get(b)) {
                backBranches.add(new int[] {head, branchAt.get(b)});
            }
        }
        Optional<Loop> main = chooseLoop(backBranches, prefix, labels);
        return new Body(new Count(tensor.size(), prefix[tensor.size()]), main, threads, calls);
    }

    private static Optional<Loop> chooseLoop(List<int[]> loops, int[] prefix, Map<String, Integer> labels) {
        int[] best = null;
        int bestTc = -1;
        for (int[] r : loops) {
            int tc = prefix[r[1] + 1] - prefix[r[0]];
            if (best == null || better(r, tc, best, bestTc)) {
                best = r;
                bestTc = tc;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int head = best[0];
        String name = labels.entrySet().stream()
                .filter(e -> e.getValue() == head)
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst()
                .orElseThrow();
        return Optional.of(new Loop(name, new Count(best[1] - best[0] + 1, bestTc)));
    }

    /** Loop {@code r} (with {@code tc} tensor-core instructions) beats the best so far. */
    private static boolean better(int[] r, int tc, int[] best, int bestTc) {
        if (tc != bestTc) {
            return tc > bestTc;
        }
        int size = r[1] - r[0] + 1;
        int bestSize = best[1] - best[0] + 1;
        if (size != bestSize) {
            return tc > 0 ? size < bestSize : size > bestSize;
        }
        return r[0] < best[0];
    }

    private static int matchingBrace(String text, int open, String name) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("PTX entry '" + name + "' has an unclosed body");
    }

    /** Removes {@code //} and {@code /* *}{@code /} comments (PTX strings hold neither). */
    private static String stripComments(String ptx) {
        StringBuilder sb = new StringBuilder(ptx.length());
        int i = 0;
        int n = ptx.length();
        while (i < n) {
            if (ptx.startsWith("//", i)) {
                int eol = ptx.indexOf('\n', i);
                i = eol < 0 ? n : eol;
            } else if (ptx.startsWith("/*", i)) {
                int end = ptx.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                sb.append(' ');
            } else {
                sb.append(ptx.charAt(i++));
            }
        }
        return sb.toString();
    }
}
