package dev.bilevel.autodiff;

import dev.bilevel.autodiff.internal.BinaryPrimitive;
import dev.bilevel.autodiff.internal.IdentitySlots;
import dev.bilevel.autodiff.internal.NaryPrimitive;
import dev.bilevel.autodiff.internal.Primitive;
import dev.bilevel.autodiff.internal.UnaryPrimitive;
import java.util.Arrays;

/**
 * The reverse sweep: given an output y, a cotangent ȳ and target variables x₁…xₙ, returns
 * {@code (∂y/∂xᵢ)ᵀ ȳ} for each target (Griewank &amp; Walther, <i>Evaluating Derivatives</i>, 2008,
 * §3.2, the adjoint accumulation over a topological order).
 *
 * <p>Steps: number the nodes reachable from y by an iterative depth-first search with an identity
 * table (no recursion, so deep unrolled graphs cannot overflow the stack); mark a node
 * <i>relevant</i> when it is a target or has a relevant input; then visit nodes in reverse
 * post-order, calling the VJP of each relevant node only for its relevant inputs, and adding
 * contributions into one cotangent per node.
 *
 * <p>The search does not descend below the lowest target's height: an input is strictly lower than
 * its output, so nothing below that height can lead to a target. Differentiating with respect to
 * an intermediate result (as a MAML inner step does at φₖ) therefore never walks the graph that
 * produced it.
 *
 * <p>When {@code createGraph} is false the VJPs run with recording off and every cotangent is a
 * constant; when true they are recorded like any computation, giving gradients of gradients.
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread, not referenced
final class Backprop {
    private Backprop() {}

    /** Cotangents of {@code targets} (null where a target does not influence {@code output}). */
    static Variable[] run(Variable output, Variable seed, Variable[] targets, boolean createGraph) {
        Variable[] result = new Variable[targets.length];
        if (!output.requiresGrad) {
            return result;
        }
        int minHeight = Integer.MAX_VALUE;
        for (Variable t : targets) {
            minHeight = Math.min(minHeight, t.height);
        }
        // The search visits at least one node per height level above the lowest target.
        int levels = Math.max(0, output.height - minHeight);
        Sweep sweep = new Sweep(targets.length + 32 + Math.min(4096, 2 * levels));
        int[] targetSlots = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            int s = sweep.slot(targets[i]);
            sweep.target[s] = targets[i].requiresGrad;
            targetSlots[i] = s;
        }
        int[] order = sweep.search(output, minHeight);
        int outSlot = sweep.slots.indexOf(output);
        if (!sweep.relevant[outSlot]) {
            return result;
        }
        sweep.cotangent[outSlot] = seed;
        try (ModeScope scope = new ModeScope(createGraph, ModeState.current().anomaly)) {
            sweep.propagate(order);
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i].requiresGrad) {
                result[i] = sweep.cotangent[targetSlots[i]];
            }
        }
        return result;
    }

    /** The per-pass state, indexed by node slot. */
    private static final class Sweep {
        final IdentitySlots slots;
        Variable[] nodes;
        boolean[] target;
        boolean[] relevant;
        boolean[] visited;
        Variable[] cotangent;
        /** Where each node's input slots start in {@link #inputSlots}; −1 when its inputs were not searched. */
        int[] firstInput;
        int[] inputSlots = new int[64];
        int inputCount;

        Sweep(int expected) {
            slots = new IdentitySlots(expected);
            nodes = new Variable[expected];
            target = new boolean[expected];
            relevant = new boolean[expected];
            visited = new boolean[expected];
            cotangent = new Variable[expected];
            firstInput = new int[expected];
        }

        int slot(Variable v) {
            int s = slots.add(v);
            if (s == nodes.length) {
                int n = nodes.length * 2;
                nodes = Arrays.copyOf(nodes, n);
                target = Arrays.copyOf(target, n);
                relevant = Arrays.copyOf(relevant, n);
                visited = Arrays.copyOf(visited, n);
                cotangent = Arrays.copyOf(cotangent, n);
                firstInput = Arrays.copyOf(firstInput, n);
            }
            if (nodes[s] == null) {
                nodes[s] = v;
                firstInput[s] = -1;
            }
            return s;
        }

        /** Iterative DFS from {@code root}; returns the post-order (inputs before outputs). */
        int[] search(Variable root, int minHeight) {
            int[] order = new int[16];
            int orderSize = 0;
            int[] stack = new int[16];
            int[] next = new int[16];
            int depth = 0;
            int r = slot(root);
            visited[r] = true;
            stack[0] = r;
            next[0] = 0;
            depth = 1;
            while (depth > 0) {
                int s = stack[depth - 1];
                Variable n = nodes[s];
                Variable[] ins = n.inputs;
                boolean descend = ins != null && n.height > minHeight;
                if (descend && next[depth - 1] == 0 && firstInput[s] < 0) {
                    firstInput[s] = reserveInputs(ins.length);
                }
                if (descend && next[depth - 1] < ins.length) {
                    int c = next[depth - 1]++;
                    Variable in = ins[c];
                    if (!in.requiresGrad) {
                        inputSlots[firstInput[s] + c] = -1;
                        continue;
                    }
                    int si = slot(in);
                    inputSlots[firstInput[s] + c] = si;
                    if (visited[si]) {
                        relevant[s] |= relevant[si];
                        continue;
                    }
                    visited[si] = true;
                    if (depth == stack.length) {
                        stack = Arrays.copyOf(stack, depth * 2);
                        next = Arrays.copyOf(next, depth * 2);
                    }
                    stack[depth] = si;
                    next[depth] = 0;
                    depth++;
                    continue;
                }
                relevant[s] |= target[s];
                depth--;
                if (depth > 0) {
                    relevant[stack[depth - 1]] |= relevant[s];
                }
                if (orderSize == order.length) {
                    order = Arrays.copyOf(order, orderSize * 2);
                }
                order[orderSize++] = s;
            }
            return Arrays.copyOf(order, orderSize);
        }

        private int reserveInputs(int n) {
            if (inputCount + n > inputSlots.length) {
                inputSlots = Arrays.copyOf(inputSlots, Math.max(inputSlots.length * 2, inputCount + n));
            }
            int start = inputCount;
            inputCount += n;
            return start;
        }

        /** Reverse post-order accumulation of cotangents. */
        void propagate(int[] order) {
            ModeState state = ModeState.current();
            boolean anomaly = state.anomaly;
            for (int k = order.length - 1; k >= 0; k--) {
                int s = order[k];
                Variable g = cotangent[s];
                Variable n = nodes[s];
                if (g == null || n.op == null || firstInput[s] < 0 || !relevant[s]) {
                    continue;
                }
                Variable[] ins = n.inputs;
                int base = firstInput[s];
                Primitive op = n.op;
                Variable[] nary = op instanceof NaryPrimitive p ? naryVjps(p, ins, n, g, base, state, anomaly) : null;
                for (int i = 0; i < ins.length; i++) {
                    int si = inputSlots[base + i];
                    if (si < 0 || !relevant[si]) {
                        continue;
                    }
                    Variable c;
                    if (nary != null) {
                        c = nary[i];
                    } else if (anomaly) {
                        String outer = state.vjpOf;
                        state.vjpOf = op.opName();
                        try {
                            c = vjp(op, i, ins, n, g);
                        } finally {
                            state.vjpOf = outer;
                        }
                    } else {
                        c = vjp(op, i, ins, n, g);
                    }
                    check(op, i, ins[i], c, anomaly);
                    Variable acc = cotangent[si];
                    cotangent[si] = acc == null ? c : acc.add(c);
                }
                if (!target[s]) {
                    cotangent[s] = null;
                }
            }
        }

        /** The cotangents an n-ary node passes to its relevant inputs, computed together. */
        private Variable[] naryVjps(NaryPrimitive p, Variable[] ins, Variable n, Variable g, int base, ModeState state,
                boolean anomaly) {
            boolean[] needed = new boolean[ins.length];
            for (int i = 0; i < ins.length; i++) {
                int si = inputSlots[base + i];
                needed[i] = si >= 0 && relevant[si];
            }
            if (!anomaly) {
                return p.vjps(needed, ins, n, g);
            }
            String outer = state.vjpOf;
            state.vjpOf = p.opName();
            try {
                return p.vjps(needed, ins, n, g);
            } finally {
                state.vjpOf = outer;
            }
        }

        private static Variable vjp(Primitive op, int i, Variable[] ins, Variable n, Variable g) {
            if (op instanceof UnaryPrimitive u) {
                return u.vjp(ins[0], n, g);
            }
            if (op instanceof BinaryPrimitive b) {
                return i == 0 ? b.vjpFirst(ins[0], ins[1], n, g) : b.vjpSecond(ins[0], ins[1], n, g);
            }
            return ((NaryPrimitive) op).vjp(i, ins, n, g);
        }

        private static void check(Primitive op, int input, Variable x, Variable c, boolean anomaly) {
            if (!c.value.shape().equals(x.value.shape())) {
                throw new IllegalStateException("VJP of '" + op.opName() + "' returned shape " + c.shape()
                        + " for input " + input + " of shape " + x.shape());
            }
            if (anomaly && !c.value.isFinite()) {
                throw new NonFiniteValueException(op.opName(), true, "cotangent of input " + input + " (shape "
                        + x.shape() + ")");
            }
        }
    }
}
