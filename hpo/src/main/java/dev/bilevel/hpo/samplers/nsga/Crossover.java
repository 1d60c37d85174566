package dev.bilevel.hpo.samplers.nsga;

import java.util.SplittableRandom;

/**
 * How NSGA-II combines two parents' numeric parameters into one child. Parameters arrive in the
 * <em>transformed space</em> of {@link NumericSpace} (logged where log-scaled, widened by half a
 * step where stepped) together with its bounds; the result is mapped back and rounded by the
 * caller. Categorical parameters always use uniform crossover.
 */
public sealed interface Crossover permits Crossover.Uniform, Crossover.Sbx {

  /**
   * Produces one child.
   *
   * @param parent0 the first parent's transformed values
   * @param parent1 the second parent's transformed values
   * @param bounds {@code [d][2]} lower and upper bounds of the transformed space
   * @param multiObjective whether the study has several objectives (for defaults)
   * @param rng the generator
   * @return the child's transformed values
   */
  double[] cross(
      double[] parent0, double[] parent1, double[][] bounds, boolean multiObjective,
      SplittableRandom rng);

  /**
   * Uniform crossover: each gene is taken from the second parent with probability {@code
   * swappingProb}, else from the first (Syswerda, "Uniform crossover in genetic algorithms",
   * ICGA 1989).
   *
   * @param swappingProb the probability of taking a gene from the second parent, in [0, 1]
   */
  record Uniform(double swappingProb) implements Crossover {
    /** Validates the probability. */
    public Uniform {
      if (!(swappingProb >= 0 && swappingProb <= 1)) {
        throw new IllegalArgumentException("swappingProb must lie in [0, 1], got " + swappingProb);
      }
    }

    @Override
    public double[] cross(
        double[] parent0, double[] parent1, double[][] bounds, boolean multiObjective,
        SplittableRandom rng) {
      double[] child = new double[parent0.length];
      for (int i = 0; i < child.length; i++) {
        child[i] = rng.nextDouble() >= swappingProb ? parent0[i] : parent1[i];
      }
      return child;
    }
  }

  /**
   * Simulated binary crossover (Deb and Agrawal, "Simulated binary crossover for continuous search
   * space", Complex Systems 9, 1995), in the bounded form of Deb and Goyal (1996) as Optuna
   * implements it: with {@code x₁ ≤ x₂} the parents' genes, {@code Δ = max(x₂ − x₁, 1e-10)},
   * {@code β₁ = 1 + 2(x₁ − low)/Δ}, {@code α₁ = 2 − β₁^−(η+1)} and {@code u} uniform, the spread
   * {@code β_q = (u α₁)^(1/(η+1))} if {@code u ≤ 1/α₁} else {@code (1/(2 − u α₁))^(1/(η+1))};
   * children {@code c₁ = ½((x₁ + x₂) − β_q₁ Δ)} and {@code c₂ = ½((x₁ + x₂) + β_q₂ Δ)} (with the
   * upper bound for {@code β₂}). Each gene is a child gene with probability ½, else a parent gene,
   * each pair swapped with probability ½; one of the two resulting children is returned.
   *
   * @param eta the distribution index {@code η > 0}, or {@code null} for Optuna's default (2 for one
   *     objective, 20 for several)
   */
  record Sbx(Double eta) implements Crossover {
    /** Validates eta. */
    public Sbx {
      if (eta != null && !(eta > 0)) {
        throw new IllegalArgumentException("eta must be positive, got " + eta);
      }
    }

    @Override
    public double[] cross(
        double[] parent0, double[] parent1, double[][] bounds, boolean multiObjective,
        SplittableRandom rng) {
      int d = parent0.length;
      double e = eta != null ? eta : multiObjective ? 20.0 : 2.0;
      double[] c1 = new double[d];
      double[] c2 = new double[d];
      for (int i = 0; i < d; i++) {
        double lo = Math.min(parent0[i], parent1[i]);
        double hi = Math.max(parent0[i], parent1[i]);
        double diff = Math.max(hi - lo, 1e-10);
        double alpha1 = 2 - Math.pow(1 + 2 * (lo - bounds[i][0]) / diff, -(e + 1));
        double alpha2 = 2 - Math.pow(1 + 2 * (bounds[i][1] - hi) / diff, -(e + 1));
        double u = rng.nextDouble();
        c1[i] = 0.5 * ((lo + hi) - spread(u, alpha1, e) * diff);
        c2[i] = 0.5 * ((lo + hi) + spread(u, alpha2, e) * diff);
      }
      double[] child1 = new double[d];
      double[] child2 = new double[d];
      for (int i = 0; i < d; i++) {
        boolean useChild = rng.nextDouble() < 0.5;
        boolean swap = rng.nextDouble() < 0.5;
        double a = useChild ? c1[i] : parent0[i];
        double b = useChild ? c2[i] : parent1[i];
        child1[i] = swap ? b : a;
        child2[i] = swap ? a : b;
      }
      return rng.nextDouble() < 0.5 ? child1 : child2;
    }

    private static double spread(double u, double alpha, double eta) {
      return u > 1 / alpha
          ? Math.pow(1 / (2 - u * alpha), 1 / (eta + 1))
          : Math.pow(u * alpha, 1 / (eta + 1));
    }
  }
}
