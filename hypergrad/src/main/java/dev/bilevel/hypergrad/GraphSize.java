package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Variable;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Counts the recorded nodes reachable from some outputs: the memory a backward pass keeps alive. */
final class GraphSize {
    private GraphSize() {}

    /** The number of distinct variables that produced (or are) the roots, constants and leaves included. */
    static long count(Variable... roots) {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        for (Variable r : roots) {
            if (r != null && seen.add(r)) {
                stack.push(r);
            }
        }
        while (!stack.isEmpty()) {
            for (Variable in : stack.pop().inputs()) {
                if (seen.add(in)) {
                    stack.push(in);
                }
            }
        }
        return seen.size();
    }

    /** The bytes of the float64 values held by the nodes reachable from the roots. */
    static long bytes(Variable... roots) {
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Variable> stack = new ArrayDeque<>();
        long total = 0;
        for (Variable r : roots) {
            if (r != null && seen.add(r)) {
                stack.push(r);
            }
        }
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            total += 8L * v.size();
            for (Variable in : v.inputs()) {
                if (seen.add(in)) {
                    stack.push(in);
                }
            }
        }
        return total;
    }
}
