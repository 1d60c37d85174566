package dev.bilevel.autodiff;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks derivatives computed by {@link Autodiff} against central finite differences along random
 * directions, in the manner of JAX's {@code check_grads}.
 *
 * <p>A function f of several tensor arguments with any output shape is first scalarized with a
 * random cotangent u: s(x) = ⟨u, f(x)⟩. For each random direction d (one tensor per argument):
 * <ul>
 *   <li><b>order 1, reverse mode</b>: ⟨∇s(x), d⟩ against (s(x + εd) − s(x − εd)) / 2ε;</li>
 *   <li><b>order 1, forward mode</b>: ⟨u, J·d⟩, with J·d from the double-VJP construction of
 *       {@link Autodiff#jvp}, against the same difference quotient;</li>
 *   <li><b>VJP/JVP identity</b>: ⟨u, J·d⟩ = ⟨Jᵀu, d⟩, both computed analytically;</li>
 *   <li><b>order 2</b>: ⟨w, ∇²s(x)·d⟩ from a recorded backward pass (reverse-over-reverse,
 *       Pearlmutter 1994) against (⟨w, ∇s(x + εd)⟩ − ⟨w, ∇s(x − εd)⟩) / 2ε for another random w,
 *       and the symmetry ⟨w, ∇²s·d⟩ = ⟨d, ∇²s·w⟩;</li>
 *   <li><b>order k ≥ 3</b>: the k-th directional derivative Dₖ = ∂ᵏs[d₁,…,dₖ], by k nested
 *       recorded gradients, against (Dₖ₋₁(x + εdₖ) − Dₖ₋₁(x − εdₖ)) / 2ε, as JAX's
 *       {@code check_grads} recurses over orders.</li>
 * </ul>
 * <p>The function is always evaluated with recording on and leaf arguments, so it may itself take
 * gradients (a MAML inner step, an implicit-differentiation solve).
 *
 * <p>A value passes when |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|). The central
 * difference has truncation error O(ε²) and rounding error O(machine ε / ε).
 *
 * <pre>{@code
 * GradCheck.check(x -> x.tanh().mul(x).sum(), Tensor.randn(new Rng(0), 3, 4),
 *         GradCheck.Options.defaults()).requirePassed();
 * }</pre>
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread, not referenced
public final class GradCheck {
    private GradCheck() {}

    /**
     * How to check.
     *
     * @param order      highest derivative order checked, 1 to 4
     * @param directions number of random directions
     * @param eps        finite-difference step along each (unit-variance) direction
     * @param rtol       relative tolerance
     * @param atol       absolute tolerance
     * @param seed       seed of the random directions and cotangents
     */
    public record Options(int order, int directions, double eps, double rtol, double atol, long seed) {
        /** Validates the fields. */
        public Options {
            if (order < 1 || order > 4) {
                throw new IllegalArgumentException("order must be between 1 and 4, got " + order);
            }
            if (directions < 1 || !(eps > 0) || !(rtol >= 0) || !(atol >= 0)) {
                throw new IllegalArgumentException("invalid GradCheck options " + directions + ", eps " + eps
                        + ", rtol " + rtol + ", atol " + atol);
            }
        }

        /** Order 2, three directions, ε = 1e-5, rtol = 1e-5, atol = 1e-6, seed 0. */
        public static Options defaults() {
            return new Options(2, 3, 1e-5, 1e-5, 1e-6, 0L);
        }

        /** These options with another order. */
        public Options withOrder(int newOrder) {
            return new Options(newOrder, directions, eps, rtol, atol, seed);
        }

        /** These options with another seed. */
        public Options withSeed(long newSeed) {
            return new Options(order, directions, eps, rtol, atol, newSeed);
        }

        /** These options with other tolerances. */
        public Options withTolerance(double newRtol, double newAtol) {
            return new Options(order, directions, eps, newRtol, newAtol, seed);
        }
    }

    /**
     * One comparison.
     *
     * @param check     what was compared, e.g. {@code "order 2: <w, H d> vs central difference"}
     * @param direction index of the random direction
     * @param analytic  the value from automatic differentiation
     * @param reference the value it is compared with (a difference quotient or another analytic value)
     * @param passed    whether the two agree within the tolerances
     */
    public record Entry(String check, int direction, double analytic, double reference, boolean passed) {
        /** |analytic − reference|. */
        public double absError() {
            return Math.abs(analytic - reference);
        }

        /** |analytic − reference| / max(|analytic|, |reference|), 0 when both are 0. */
        public double relError() {
            double scale = Math.max(Math.abs(analytic), Math.abs(reference));
            return scale == 0 ? 0 : absError() / scale;
        }
    }

    /**
     * All comparisons of one check.
     *
     * @param entries the comparisons, in order
     */
    public record Report(List<Entry> entries) {
        /** Copies the list. */
        public Report {
            entries = List.copyOf(entries);
        }

        /** True when every comparison passed. */
        public boolean passed() {
            return entries.stream().allMatch(Entry::passed);
        }

        /** The largest absolute error over all comparisons. */
        public double maxAbsError() {
            return entries.stream().mapToDouble(Entry::absError).max().orElse(0);
        }

        /** The largest relative error over all comparisons. */
        public double maxRelError() {
            return entries.stream().mapToDouble(Entry::relError).max().orElse(0);
        }

        /**
         * Returns normally when every comparison passed.
         *
         * @throws AssertionError listing each failed comparison with both values
         */
        public void requirePassed() {
            if (passed()) {
                return;
            }
            StringBuilder sb = new StringBuilder("gradient check failed:");
            for (Entry e : entries) {
                if (!e.passed()) {
                    sb.append("\n  ").append(e.check()).append(" (direction ").append(e.direction())
                            .append("): autodiff ").append(e.analytic()).append(" vs ").append(e.reference())
                            .append(", abs error ").append(e.absError()).append(", rel error ").append(e.relError());
                }
            }
            throw new AssertionError(sb.toString());
        }
    }

    /** Checks a function of one argument at {@code x}. */
    public static Report check(Function<Variable, Variable> f, Tensor x, Options options) {
        return check(args -> f.apply(args.get(0)), List.of(x), options);
    }

    /** Checks a function of one argument at {@code x} to {@code order} with default options. */
    public static void assertGradients(Function<Variable, Variable> f, Tensor x, int order) {
        check(f, x, Options.defaults().withOrder(order)).requirePassed();
    }

    /** Checks a function of several arguments at {@code args}. */
    public static Report check(Function<List<Variable>, Variable> f, List<Tensor> args, Options o) {
        Rng rng = new Rng(o.seed());
        Tensor out;
        try (ModeScope on = GradMode.enabled()) {
            out = f.apply(leaves(args)).value();
        }
        Variable u = Variable.constant(Tensor.randn(rng, out.shape().dims()));
        Function<List<Variable>, Variable> s = xs -> f.apply(xs).mul(u).sum();
        List<Entry> entries = new ArrayList<>();
        List<Variable> gradAtX = gradient(s, args, 0, null);
        for (int k = 0; k < o.directions(); k++) {
            List<Tensor> d = randomLike(rng, args);
            double fd = (value(s, shift(args, d, o.eps())) - value(s, shift(args, d, -o.eps()))) / (2 * o.eps());
            double reverse = dot(gradAtX, d);
            entries.add(entry("order 1, reverse mode: <grad s, d> vs central difference", k, reverse, fd, o));
            double forward = forwardMode(f, args, d, u);
            entries.add(entry("order 1, forward mode: <u, J d> vs central difference", k, forward, fd, o));
            entries.add(entry("VJP/JVP identity: <u, J d> vs <J^T u, d>", k, forward, reverse, o));
            if (o.order() >= 2) {
                List<Tensor> w = randomLike(rng, args);
                double hd = dot(hessianVector(s, args, d), w);
                double hw = dot(hessianVector(s, args, w), d);
                double fd2 = (dot(gradient(s, args, o.eps(), d), w) - dot(gradient(s, args, -o.eps(), d), w))
                        / (2 * o.eps());
                entries.add(entry("order 2: <w, H d> vs central difference of <w, grad s>", k, hd, fd2, o));
                entries.add(entry("order 2: symmetry <w, H d> vs <d, H w>", k, hd, hw, o));
            }
            List<List<Tensor>> dirs = new ArrayList<>();
            dirs.add(d);
            dirs.add(randomLike(rng, args));
            for (int order = 3; order <= o.order(); order++) {
                List<Tensor> last = randomLike(rng, args);
                double analytic = directional(s, args, dirs, last);
                double numeric = (directional(s, shift(args, last, o.eps()), dirs, null)
                        - directional(s, shift(args, last, -o.eps()), dirs, null)) / (2 * o.eps());
                entries.add(entry("order " + order + ": directional derivative vs central difference of order "
                        + (order - 1), k, analytic, numeric, o));
                dirs.add(last);
            }
        }
        return new Report(entries);
    }

    private static Entry entry(String check, int k, double analytic, double reference, Options o) {
        boolean ok = Math.abs(analytic - reference)
                <= o.atol() + o.rtol() * Math.max(Math.abs(analytic), Math.abs(reference));
        return new Entry(check, k, analytic, reference, ok);
    }

    /** s at xs, with recording on and leaf arguments so that f may itself take gradients. */
    private static double value(Function<List<Variable>, Variable> s, List<Tensor> xs) {
        try (ModeScope on = GradMode.enabled()) {
            return s.apply(leaves(xs)).item();
        }
    }

    /** ∇s at x + t·d (d may be null when t = 0), as constants. */
    private static List<Variable> gradient(Function<List<Variable>, Variable> s, List<Tensor> xs, double t,
            List<Tensor> d) {
        List<Variable> leaves = leaves(d == null ? xs : shift(xs, d, t));
        try (ModeScope on = GradMode.enabled()) {
            return Autodiff.grad(s.apply(leaves), leaves, false, true);
        }
    }

    /** ∇²s(x)·d by differentiating ⟨∇s, d⟩ through a recorded backward pass. */
    private static List<Variable> hessianVector(Function<List<Variable>, Variable> s, List<Tensor> xs,
            List<Tensor> d) {
        List<Variable> leaves = leaves(xs);
        try (ModeScope on = GradMode.enabled()) {
            List<Variable> g = Autodiff.grad(s.apply(leaves), leaves, true, true);
            Variable inner = Variable.scalar(0.0);
            for (int i = 0; i < g.size(); i++) {
                inner = inner.add(g.get(i).mul(Variable.constant(d.get(i))).sum());
            }
            return Autodiff.grad(inner, leaves, false, true);
        }
    }

    /**
     * The directional derivative ∂ᵏs(x)[d₁,…,dₖ] along {@code dirs} followed by {@code last} (when
     * not null), by nested gradients: D₀ = s, Dⱼ = ⟨∇Dⱼ₋₁, dⱼ⟩, every gradient but the last recorded.
     */
    private static double directional(Function<List<Variable>, Variable> s, List<Tensor> xs, List<List<Tensor>> dirs,
            List<Tensor> last) {
        List<List<Tensor>> all = new ArrayList<>(dirs);
        if (last != null) {
            all.add(last);
        }
        List<Variable> leaves = leaves(xs);
        try (ModeScope on = GradMode.enabled()) {
            Variable y = s.apply(leaves);
            for (int j = 0; j < all.size(); j++) {
                List<Variable> g = Autodiff.grad(y, leaves, j < all.size() - 1, true);
                Variable inner = Variable.scalar(0.0);
                for (int i = 0; i < g.size(); i++) {
                    inner = inner.add(g.get(i).mul(Variable.constant(all.get(j).get(i))).sum());
                }
                y = inner;
            }
            return y.item();
        }
    }

    /** ⟨u, J·d⟩ with J·d = ∂⟨Jᵀw, d⟩/∂w (the double-VJP construction). */
    private static double forwardMode(Function<List<Variable>, Variable> f, List<Tensor> xs, List<Tensor> d,
            Variable u) {
        List<Variable> leaves = leaves(xs);
        try (ModeScope on = GradMode.enabled()) {
            Variable y = f.apply(leaves);
            Variable w = Variable.leaf(Tensor.zeros(y.shape()));
            List<Variable> jtw = Autodiff.vjp(y, leaves, w, true, true);
            Variable inner = Variable.scalar(0.0);
            for (int i = 0; i < jtw.size(); i++) {
                inner = inner.add(jtw.get(i).mul(Variable.constant(d.get(i))).sum());
            }
            Variable jd = Autodiff.grad(inner, List.of(w), false, true).get(0);
            return jd.value().mul(u.value()).sum().item();
        }
    }

    private static double dot(List<Variable> a, List<Tensor> b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.get(i).value().mul(b.get(i)).sum().item();
        }
        return s;
    }

    private static List<Tensor> randomLike(Rng rng, List<Tensor> xs) {
        List<Tensor> d = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            d.add(Tensor.randn(rng, x.shape().dims()));
        }
        return d;
    }

    private static List<Tensor> shift(List<Tensor> xs, List<Tensor> d, double t) {
        List<Tensor> out = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            out.add(xs.get(i).add(d.get(i).mul(t)));
        }
        return out;
    }

    private static List<Variable> leaves(List<Tensor> xs) {
        List<Variable> v = new ArrayList<>(xs.size());
        for (Tensor x : xs) {
            v.add(Variable.leaf(x));
        }
        return v;
    }
}
