package dev.bilevel.autodiff;

import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * An immutable, ordered map from parameter names to variables: the weights of a functional model,
 * a gradient with the same names, a task-adapted copy φ = θ − α∇L.
 *
 * <p>The order is the insertion order and defines the layout of {@link #flatten()}: the
 * parameters' values, each in row-major order, one after another. {@link #unflatten(Variable)} is
 * its inverse for any vector of {@link #numel()} elements, and both are differentiable.
 *
 * <pre>{@code
 * Params theta = Params.empty()
 *         .with("w", Variable.leaf(Tensor.randn(rng, 1, 40)))
 *         .with("b", Variable.leaf(Tensor.zeros(40)));
 * Params g = Autodiff.grad(loss, theta, true, false);
 * Params phi = theta.zip(g, (p, d) -> p.sub(d.mul(0.01)));
 * }</pre>
 */
public final class Params {
    private static final Params EMPTY = new Params(new String[0], new Variable[0]);

    private final String[] names;
    private final Variable[] values;

    private Params(String[] names, Variable[] values) {
        this.names = names;
        this.values = values;
    }

    /** No parameters. */
    public static Params empty() {
        return EMPTY;
    }

    /** The entries of {@code map} in its iteration order (use a {@link LinkedHashMap} to fix it). */
    public static Params of(Map<String, Variable> map) {
        Params p = EMPTY;
        for (Map.Entry<String, Variable> e : map.entrySet()) {
            p = p.with(e.getKey(), e.getValue());
        }
        return p;
    }

    /**
     * Parameters named {@code names[i]} with value {@code values[i]}.
     *
     * @throws IllegalArgumentException when the lists differ in length or a name repeats
     */
    public static Params of(List<String> names, List<Variable> values) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("Params.of: " + names.size() + " names but " + values.size() + " values");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException("Params.of: name '" + n + "' repeats");
            }
        }
        return new Params(names.toArray(new String[0]), values.toArray(new Variable[0]));
    }

    /** These parameters with {@code name} set to {@code value}: replaced in place if present, else appended. */
    public Params with(String name, Variable value) {
        int i = indexOf(name);
        if (i >= 0) {
            Variable[] v = values.clone();
            v[i] = value;
            return new Params(names, v);
        }
        String[] n = Arrays.copyOf(names, names.length + 1);
        Variable[] v = Arrays.copyOf(values, values.length + 1);
        n[names.length] = name;
        v[values.length] = value;
        return new Params(n, v);
    }

    /** Number of parameters. */
    public int size() {
        return names.length;
    }

    /** The names, in order. */
    public List<String> names() {
        return List.of(names);
    }

    /** The values, in order. */
    public List<Variable> values() {
        return List.of(values);
    }

    /** The parameter called {@code name}. @throws IllegalArgumentException listing the names when absent */
    public Variable get(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no parameter '" + name + "'; names are " + names());
        }
        return values[i];
    }

    /** True when a parameter is called {@code name}. */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The total number of elements over all parameters. */
    public int numel() {
        int n = 0;
        for (Variable v : values) {
            n += v.size();
        }
        return n;
    }

    /** The same names with {@code f} applied to each value. */
    public Params map(UnaryOperator<Variable> f) {
        Variable[] v = new Variable[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.apply(values[i]);
        }
        return new Params(names, v);
    }

    /** The same names with {@code f(name, value)} as each value. */
    public Params map(BiFunction<String, Variable, Variable> f) {
        Variable[] v = new Variable[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.apply(names[i], values[i]);
        }
        return new Params(names, v);
    }

    /**
     * {@code f(this[name], other[name])} for every name, e.g. a gradient step.
     *
     * @throws IllegalArgumentException when the two have different names or order
     */
    public Params zip(Params other, BinaryOperator<Variable> f) {
        if (!Arrays.equals(names, other.names)) {
            throw new IllegalArgumentException("zip: names " + names() + " and " + other.names() + " differ");
        }
        Variable[] v = new Variable[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.apply(values[i], other.values[i]);
        }
        return new Params(names, v);
    }

    /** Each value as a fresh leaf (requires grad) holding the same tensor: new independent variables. */
    public Params leaves() {
        return map(v -> Variable.leaf(v.value()));
    }

    /** Each value detached (a constant): gradients stop here. */
    public Params detach() {
        return map(Variable::detach);
    }

    /** All values concatenated into one vector of {@link #numel()} elements (differentiable). */
    public Variable flatten() {
        if (values.length == 1) {
            return values[0].flatten();
        }
        if (values.length == 0) {
            return Variable.constant(Tensor.zeros(0));
        }
        Variable[] parts = new Variable[values.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = values[i].flatten();
        }
        return Variable.concat(0, parts);
    }

    /** The values of {@link #flatten()}, without recording anything. */
    public Tensor flattenValues() {
        double[] out = new double[numel()];
        int off = 0;
        for (Variable v : values) {
            double[] d = v.value().toArray();
            System.arraycopy(d, 0, out, off, d.length);
            off += d.length;
        }
        return Tensor.of(out, out.length);
    }

    /**
     * The inverse of {@link #flatten()}: slices of {@code flat} reshaped like these parameters, with
     * the same names (differentiable).
     *
     * @throws IllegalArgumentException unless {@code flat} is a vector of {@link #numel()} elements
     */
    public Params unflatten(Variable flat) {
        if (flat.rank() != 1 || flat.size() != numel()) {
            throw new IllegalArgumentException("unflatten: need a vector of " + numel() + " elements, got shape "
                    + flat.shape());
        }
        Variable[] v = new Variable[values.length];
        int off = 0;
        for (int i = 0; i < v.length; i++) {
            Shape s = values[i].shape();
            v[i] = values.length == 1 ? flat.reshape(s) : flat.slice(0, off, off + s.size()).reshape(s);
            off += s.size();
        }
        return new Params(names, v);
    }

    /** {@link #unflatten(Variable)} of a constant vector: the result holds constants. */
    public Params unflatten(Tensor flat) {
        return unflatten(Variable.constant(flat));
    }

    /** The same names with new values, in order (used by the transforms). */
    Params withValues(List<Variable> newValues) {
        if (newValues.size() != values.length) {
            throw new IllegalArgumentException("expected " + values.length + " values, got " + newValues.size());
        }
        return new Params(names, newValues.toArray(new Variable[0]));
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Names and shapes, e.g. {@code Params{w=[1, 40], b=[40]}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Params{");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i].shape());
        }
        return sb.append('}').toString();
    }
}
