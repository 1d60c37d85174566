package dev.bilevel.autodiff;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Test oracles written independently of {@link GradCheck}: coordinate-wise central differences on
 * plain tensors (first order) and the four-point mixed difference (second order), plus seeded
 * random shapes that exercise broadcasting and size-1 dimensions.
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread, not referenced
final class FiniteDifferences {
    private FiniteDifferences() {}

    /** s evaluated with recording off. */
    static double eval(Function<List<Variable>, Variable> s, List<Tensor> xs) {
        try (ModeScope off = GradMode.disabled()) {
            List<Variable> v = new ArrayList<>();
            for (Tensor x : xs) {
                v.add(Variable.constant(x));
            }
            return s.apply(v).item();
        }
    }

    /** ∂s/∂xᵢ by central differences, one coordinate at a time. */
    static List<Tensor> gradient(Function<List<Variable>, Variable> s, List<Tensor> xs, double eps) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            double[] g = new double[xs.get(i).size()];
            for (int j = 0; j < g.length; j++) {
                g[j] = (eval(s, bump(xs, i, j, eps)) - eval(s, bump(xs, i, j, -eps))) / (2 * eps);
            }
            out.add(Tensor.of(g, xs.get(i).shape()));
        }
        return out;
    }

    /**
     * (∇²s·d)ᵢⱼ by the mixed difference
     * [s(x+εe+εd) − s(x+εe−εd) − s(x−εe+εd) + s(x−εe−εd)] / 4ε², using values only.
     */
    static List<Tensor> hessianVector(Function<List<Variable>, Variable> s, List<Tensor> xs, List<Tensor> d,
            double eps) {
        List<Tensor> plus = shift(xs, d, eps);
        List<Tensor> minus = shift(xs, d, -eps);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            double[] h = new double[xs.get(i).size()];
            for (int j = 0; j < h.length; j++) {
                h[j] = (eval(s, bump(plus, i, j, eps)) - eval(s, bump(minus, i, j, eps))
                        - eval(s, bump(plus, i, j, -eps)) + eval(s, bump(minus, i, j, -eps))) / (4 * eps * eps);
            }
            out.add(Tensor.of(h, xs.get(i).shape()));
        }
        return out;
    }

    static List<Tensor> shift(List<Tensor> xs, List<Tensor> d, double t) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            out.add(xs.get(i).add(d.get(i).mul(t)));
        }
        return out;
    }

    private static List<Tensor> bump(List<Tensor> xs, int i, int j, double eps) {
        List<Tensor> out = new ArrayList<>(xs);
        double[] v = xs.get(i).toArray();
        v[j] += eps;
        out.set(i, Tensor.of(v, xs.get(i).shape()));
        return out;
    }

    /** A shape of rank 0–3 with dimensions 1–3. */
    static Shape randomShape(Rng rng, int minRank) {
        int rank = minRank + rng.nextInt(4 - minRank);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + rng.nextInt(3);
        }
        return Shape.of(d);
    }

    /** A shape that broadcasts to {@code s}: some leading dimensions dropped, some set to 1. */
    static Shape broadcastPartner(Rng rng, Shape s) {
        int drop = rng.nextInt(s.rank() + 1);
        int[] d = new int[s.rank() - drop];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextInt(3) == 0 ? 1 : s.dim(i + drop);
        }
        return Shape.of(d);
    }

    /** Standard normal values pushed at least 0.1 away from 0 (away from kinks at 0). */
    static Tensor awayFromZero(Rng rng, Shape s) {
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            double z = rng.normal();
            v[i] = Math.copySign(0.1 + Math.abs(z), z);
        }
        return Tensor.of(v, s);
    }

    /** Uniform values in [0.5, 2). */
    static Tensor positive(Rng rng, Shape s) {
        return Tensor.uniform(rng, 0.5, 2.0, s.dims());
    }

    /** Standard normal values. */
    static Tensor normal(Rng rng, Shape s) {
        return Tensor.randn(rng, s.dims());
    }
}
