package dev.bilevel.autodiff;

import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Derivatives as composable transforms, in the spirit of JAX: {@code grad}, {@code valueAndGrad},
 * {@code vjp}, {@code jvp}, {@code hvp}, {@code jacobian}, {@code hessian}.
 *
 * <p><b>Graph level.</b> {@link #vjp(Variable, List, Variable, boolean, boolean)} is reverse mode:
 * for y = f(x₁…xₙ) and a cotangent ū shaped like y it returns (∂y/∂xᵢ)ᵀū for every i, by one
 * backward sweep (Griewank &amp; Walther, <i>Evaluating Derivatives</i>, SIAM 2008, ch. 3).
 * {@link #grad(Variable, List, boolean, boolean)} is the case ū = 1 of a one-element output. With
 * {@code createGraph} the returned gradients are recorded (their VJPs are ordinary differentiable
 * operations), so they can be differentiated again; without it they are constants and the pass is
 * cheaper. No gradient is ever stored on a variable.
 *
 * <p><b>Functional level.</b> The forms taking a {@link Function} evaluate f at x and
 * differentiate it. Their results are recorded exactly when grad mode is enabled and an argument
 * (or the direction v) requires grad; an argument that does not is replaced by a fresh leaf with
 * its value. This one rule makes the transforms compose: the inner transform of
 * {@code hessian(f) = jacobian(grad(f))} sees a leaf and records, the outer differentiates.
 *
 * <pre>{@code
 * Function<Variable, Variable> f = x -> x.square().sum().mul(0.5).add(x.sin().sum());
 * Variable x = Variable.constant(Tensor.vector(1, 2, 3));
 * Variable g = Autodiff.grad(f, x);                 // x + cos x, a constant
 * Variable hv = Autodiff.hvp(f, x, Variable.constant(Tensor.vector(1, 0, 0)));
 * Variable h = Autodiff.hessian(f, x);              // I − diag(sin x), shape [3, 3]
 * }</pre>
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread, not referenced
public final class Autodiff {
    private Autodiff() {}

    // ---------------------------------------------------------------- graph level

    /**
     * The vector-Jacobian products (∂output/∂inputᵢ)ᵀ·cotangent.
     *
     * @param output      a recorded result
     * @param inputs      variables to differentiate with respect to (leaves or intermediate results)
     * @param cotangent   ū, with exactly the output's shape
     * @param createGraph record the backward pass so that the results can be differentiated again
     *                    (this holds even inside a {@link GradMode#disabled()} block)
     * @param allowUnused return zeros for an input that does not influence the output (or does not
     *                    require grad) instead of throwing
     * @return one cotangent per input, shaped like it; recorded iff {@code createGraph}
     * @throws IllegalArgumentException on a cotangent of the wrong shape, or an unused input when
     *                                  {@code allowUnused} is false
     */
    public static List<Variable> vjp(Variable output, List<Variable> inputs, Variable cotangent,
            boolean createGraph, boolean allowUnused) {
        if (!cotangent.shape().equals(output.shape())) {
            throw new IllegalArgumentException("vjp: cotangent shape " + cotangent.shape()
                    + " differs from output shape " + output.shape());
        }
        Variable[] targets = inputs.toArray(new Variable[0]);
        Variable[] r = Backprop.run(output, cotangent, targets, createGraph);
        List<Variable> out = new ArrayList<>(r.length);
        for (int i = 0; i < r.length; i++) {
            Variable g = r[i];
            if (g == null) {
                if (!allowUnused) {
                    throw new IllegalArgumentException("input " + i + " (shape " + targets[i].shape() + ", "
                            + targets[i].opName() + ") " + (targets[i].requiresGrad()
                                    ? "was not used to compute the output" : "does not require grad")
                            + "; pass allowUnused = true to get zeros");
                }
                g = Variable.constant(Tensor.zeros(targets[i].shape()));
            } else if (!createGraph) {
                g = g.detach();
            }
            out.add(g);
        }
        return out;
    }

    /**
     * The gradients ∂output/∂inputᵢ of a one-element output; see
     * {@link #vjp(Variable, List, Variable, boolean, boolean)} for the flags.
     *
     * @throws IllegalArgumentException naming the shape when the output has more than one element
     */
    public static List<Variable> grad(Variable output, List<Variable> inputs, boolean createGraph,
            boolean allowUnused) {
        requireScalar(output, "grad");
        return vjp(output, inputs, Variable.constant(Tensor.ones(output.shape())), createGraph, allowUnused);
    }

    /** The gradient ∂output/∂input of a one-element output; an unused input is an error. */
    public static Variable grad(Variable output, Variable input, boolean createGraph) {
        return grad(output, List.of(input), createGraph, false).get(0);
    }

    /** The gradients of a one-element output with respect to every parameter, with the same names. */
    public static Params grad(Variable output, Params params, boolean createGraph, boolean allowUnused) {
        return params.withValues(grad(output, params.values(), createGraph, allowUnused));
    }

    // ---------------------------------------------------------------- functional level

    /** The function x ↦ ∇f(x) of a scalar-valued f; see the class comment for when it records. */
    public static Function<Variable, Variable> grad(Function<Variable, Variable> f) {
        return x -> grad(f, x);
    }

    /** ∇f(x) for a scalar-valued f. */
    public static Variable grad(Function<Variable, Variable> f, Variable x) {
        return valueAndGrad(f, x).grad();
    }

    /** f(x) and ∇f(x) from one forward and one backward pass. */
    public static ValueAndGrad<Variable> valueAndGrad(Function<Variable, Variable> f, Variable x) {
        ValueAndGrad<List<Variable>> r = valueAndGrad(args -> f.apply(args.get(0)), List.of(x));
        return new ValueAndGrad<>(r.value(), r.grad().get(0));
    }

    /** The function x ↦ (f(x), ∇f(x)). */
    public static Function<Variable, ValueAndGrad<Variable>> valueAndGrad(Function<Variable, Variable> f) {
        return x -> valueAndGrad(f, x);
    }

    /** The gradients of a scalar-valued f of several arguments, one per argument. */
    public static List<Variable> grad(Function<List<Variable>, Variable> f, List<Variable> args) {
        return valueAndGrad(f, args).grad();
    }

    /** f(args) and its gradient with respect to every argument. */
    public static ValueAndGrad<List<Variable>> valueAndGrad(Function<List<Variable>, Variable> f,
            List<Variable> args) {
        boolean record = recording(args);
        List<Variable> in = arguments(args);
        Variable y = call(f, in);
        requireScalar(y, "grad");
        List<Variable> g = grad(y, in, record, true);
        return new ValueAndGrad<>(record ? y : y.detach(), g);
    }

    /** The gradient of a scalar-valued f of named parameters, with the same names. */
    public static Params grad(Function<Params, Variable> f, Params params) {
        return valueAndGrad(f, params).grad();
    }

    /** f(params) and its gradient with respect to every parameter. */
    public static ValueAndGrad<Params> valueAndGrad(Function<Params, Variable> f, Params params) {
        ValueAndGrad<List<Variable>> r = valueAndGrad(args -> f.apply(params.withValues(args)), params.values());
        return new ValueAndGrad<>(r.value(), params.withValues(r.grad()));
    }

    /**
     * f(x) and its pullback u ↦ Jᵀu (reverse mode). The pullback records when x or u requires grad
     * (and grad mode is enabled).
     */
    public static Vjp vjp(Function<Variable, Variable> f, Variable x) {
        boolean record = recording(List.of(x));
        Variable in = argument(x);
        Variable y = call(args -> f.apply(args.get(0)), List.of(in));
        return new Vjp(record ? y : y.detach(), u -> vjp(y, List.of(in), u,
                GradMode.isEnabled() && (record || u.requiresGrad()), true).get(0));
    }

    /**
     * f(x) and the directional derivative J·v (forward mode), computed by the double-VJP trick: the
     * map u ↦ Jᵀu is linear in u, so J·v = ∂⟨Jᵀu, v⟩/∂u, evaluated at u = 0 by a second reverse
     * pass. Costs two backward passes instead of a forward-mode sweep, and is exact.
     *
     * @throws IllegalArgumentException when v and x differ in shape
     */
    public static Jvp jvp(Function<Variable, Variable> f, Variable x, Variable v) {
        requireSameShape("jvp", x, v);
        boolean record = recording(List.of(x, v));
        Variable in = argument(x);
        Variable y = call(args -> f.apply(args.get(0)), List.of(in));
        Variable u = Variable.leaf(Tensor.zeros(y.shape()));
        Variable inner;
        try (ModeScope on = GradMode.enabled()) {
            Variable jtu = vjp(y, List.of(in), u, true, true).get(0);
            inner = jtu.mul(v).sum();
        }
        Variable t = grad(inner, List.of(u), record, true).get(0);
        return new Jvp(record ? y : y.detach(), t);
    }

    /**
     * The Hessian-vector product ∇²f(x)·v of a scalar-valued f, as ∇ₓ⟨∇f(x), v⟩: two reverse
     * passes, never forming the Hessian (Pearlmutter, "Fast exact multiplication by the Hessian",
     * Neural Computation 6(1), 1994).
     *
     * @throws IllegalArgumentException when v and x differ in shape, or f(x) has more than one element
     */
    public static Variable hvp(Function<Variable, Variable> f, Variable x, Variable v) {
        return hvp(args -> f.apply(args.get(0)), List.of(x), List.of(v)).get(0);
    }

    /**
     * The Hessian-vector product of a scalar-valued f of several arguments: component i is
     * Σⱼ ∂²f/∂xᵢ∂xⱼ · vⱼ, as ∇⟨∇f(x), v⟩ (Pearlmutter 1994). This is the matvec of Newton-CG and of
     * implicit differentiation.
     *
     * @throws IllegalArgumentException when the lists differ in length or some vᵢ and xᵢ in shape
     */
    public static List<Variable> hvp(Function<List<Variable>, Variable> f, List<Variable> args, List<Variable> v) {
        if (args.size() != v.size()) {
            throw new IllegalArgumentException("hvp: " + args.size() + " arguments but " + v.size() + " directions");
        }
        List<Variable> both = new ArrayList<>(args);
        for (int i = 0; i < args.size(); i++) {
            requireSameShape("hvp", args.get(i), v.get(i));
            both.add(v.get(i));
        }
        boolean record = recording(both);
        List<Variable> in = arguments(args);
        Variable y = call(f, in);
        requireScalar(y, "hvp");
        Variable inner;
        try (ModeScope on = GradMode.enabled()) {
            List<Variable> g = grad(y, in, true, true);
            inner = Variable.scalar(0.0);
            for (int i = 0; i < g.size(); i++) {
                inner = inner.add(g.get(i).mul(v.get(i)).sum());
            }
        }
        return grad(inner, in, record, true);
    }

    /** The Hessian-vector product of a scalar-valued f of named parameters, with the same names. */
    public static Params hvp(Function<Params, Variable> f, Params at, Params v) {
        if (!at.names().equals(v.names())) {
            throw new IllegalArgumentException("hvp: parameter names " + at.names() + " and direction names "
                    + v.names() + " differ");
        }
        return at.withValues(hvp(args -> f.apply(at.withValues(args)), at.values(), v.values()));
    }

    /**
     * The Jacobian ∂f(x)/∂x, of shape {@code f(x).shape ++ x.shape}, by one VJP per output element
     * against a single forward pass.
     */
    public static Variable jacobian(Function<Variable, Variable> f, Variable x) {
        boolean record = recording(List.of(x));
        Variable in = argument(x);
        Variable y = call(args -> f.apply(args.get(0)), List.of(in));
        int m = y.size();
        int[] dims = concatDims(y.shape(), x.shape());
        if (m == 0 || x.size() == 0) {
            return Variable.constant(Tensor.zeros(dims));
        }
        Variable[] rows = new Variable[m];
        for (int i = 0; i < m; i++) {
            double[] e = new double[m];
            e[i] = 1.0;
            rows[i] = vjp(y, List.of(in), Variable.constant(Tensor.of(e, y.shape())), record, true).get(0);
        }
        try (ModeScope on = record ? GradMode.enabled() : GradMode.disabled()) {
            return Variable.stack(0, rows).reshape(dims);
        }
    }

    /** The Hessian ∇²f(x) of a scalar-valued f, of shape {@code x.shape ++ x.shape}, as jacobian(grad f). */
    public static Variable hessian(Function<Variable, Variable> f, Variable x) {
        return jacobian(grad(f), x);
    }

    // ---------------------------------------------------------------- helpers

    private static void requireScalar(Variable y, String what) {
        if (y.size() != 1) {
            throw new IllegalArgumentException(what + " needs a function with one output element, got shape "
                    + y.shape() + "; use vjp or jacobian for non-scalar outputs");
        }
    }

    private static void requireSameShape(String what, Variable x, Variable v) {
        if (!x.shape().equals(v.shape())) {
            throw new IllegalArgumentException(what + ": direction shape " + v.shape() + " differs from argument shape "
                    + x.shape());
        }
    }

    private static boolean recording(List<Variable> xs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Variable x : xs) {
            if (x.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    private static Variable argument(Variable x) {
        return x.requiresGrad() ? x : Variable.leaf(x.value());
    }

    private static List<Variable> arguments(List<Variable> xs) {
        List<Variable> in = new ArrayList<>(xs.size());
        for (Variable x : xs) {
            in.add(argument(x));
        }
        return in;
    }

    private static Variable call(Function<List<Variable>, Variable> f, List<Variable> in) {
        try (ModeScope on = GradMode.enabled()) {
            return f.apply(in);
        }
    }

    private static int[] concatDims(Shape a, Shape b) {
        int[] d = new int[a.rank() + b.rank()];
        System.arraycopy(a.dims(), 0, d, 0, a.rank());
        System.arraycopy(b.dims(), 0, d, a.rank(), b.rank());
        return d;
    }
}
