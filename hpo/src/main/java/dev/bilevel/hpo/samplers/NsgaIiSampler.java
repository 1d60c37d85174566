package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.internal.Pareto;
import dev.bilevel.hpo.internal.SearchSpaces;
import dev.bilevel.hpo.samplers.nsga.Crossover;
import dev.bilevel.hpo.samplers.nsga.NumericSpace;
import dev.bilevel.hpo.samplers.tpe.TrialSplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NSGA-II, the elitist non-dominated sorting genetic algorithm (Deb, Pratap, Agarwal and
 * Meyarivan, "A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE TEVC 6(2), 2002),
 * organized as Optuna's {@code NSGAIISampler}.
 *
 * <ul>
 *   <li><b>Generations.</b> Each trial is given a generation when it starts, stored in its system
 *       attribute {@value #GENERATION_KEY}: the newest generation, or the next one once the newest
 *       has {@code populationSize} COMPLETE trials.
 *   <li><b>Elite selection.</b> The parents of generation {@code g} are the best {@code
 *       populationSize} of (generation {@code g − 1}'s COMPLETE trials ∪ generation {@code g − 1}'s
 *       parents): whole non-domination ranks while they fit, the rank that does not fit cut by
 *       descending crowding distance ({@link Pareto#crowdingDistance}). With constraints
 *       (trials carrying {@value StudyView#CONSTRAINTS_KEY}), feasible trials are ranked first by
 *       objectives, then infeasible ones by total violation (constrained domination, Deb et al.,
 *       section V).
 *   <li><b>Child.</b> With probability {@code crossoverProb}, two parents chosen by binary
 *       tournament (the first of two random parents if it dominates the second, else the second)
 *       are crossed: categorical genes uniformly, numeric genes by the {@link Crossover} (uniform by
 *       default, or SBX); otherwise a random parent is copied. Each gene then mutates with
 *       probability {@code mutationProb} (default {@code 1/d}): it is dropped from the relative
 *       sample and drawn uniformly by {@code sampleIndependent}.
 *   <li>Generation 0 and parameters outside the intersection search space are drawn uniformly.
 * </ul>
 *
 * <p>Parent populations are cached in memory per study and generation (Optuna caches their ids in
 * study system attributes, which a sampler may not write here); the cache is rebuilt from the
 * stored generations after a restart. Draws depend only on (seed, trial number), whatever the
 * thread interleaving.
 *
 * <pre>{@code
 * Study study = Study.builder()
 *     .directions(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE)
 *     .sampler(NsgaIiSampler.builder().seed(1).populationSize(40).build())
 *     .create();
 * }</pre>
 */
public final class NsgaIiSampler implements Sampler {
  /** The trial system attribute holding the generation (Optuna's key). */
  public static final String GENERATION_KEY = "NSGAIISampler:generation";

  private final long seed;
  private final int populationSize;
  private final Double mutationProb;
  private final double crossoverProb;
  private final double swappingProb;
  private final Crossover crossover;
  private final RandomSampler random;
  private final Map<String, List<FrozenTrial>> parents = new ConcurrentHashMap<>();

  private NsgaIiSampler(Builder b) {
    this.seed = b.seed;
    this.populationSize = b.populationSize;
    this.mutationProb = b.mutationProb;
    this.crossoverProb = b.crossoverProb;
    this.swappingProb = b.swappingProb;
    this.crossover = b.crossover != null ? b.crossover : new Crossover.Uniform(b.swappingProb);
    this.random = new RandomSampler(b.seed);
  }

  /**
   * A builder with Optuna's defaults: population 50, mutation probability {@code 1/d}, crossover
   * probability 0.9, swapping probability 0.5, uniform crossover, a random seed.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    if (trial.systemAttrs().get(GENERATION_KEY) instanceof Number) {
      return;
    }
    int maxGeneration = 0;
    int count = 0;
    for (FrozenTrial t : study.trials(TrialState.COMPLETE)) {
      int g = generation(t);
      if (g > maxGeneration) {
        maxGeneration = g;
        count = 1;
      } else if (g == maxGeneration) {
        count++;
      }
    }
    attrs.set(GENERATION_KEY, count < populationSize ? maxGeneration : maxGeneration + 1);
  }

  @Override
  public Map<String, Distribution> inferRelativeSearchSpace(StudyView study, FrozenTrial trial) {
    return SearchSpaces.intersection(study.trials(TrialState.COMPLETE));
  }

  @Override
  public Map<String, Double> sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
    int generation = generation(trial);
    if (generation <= 0) {
      return Map.of();
    }
    List<FrozenTrial> pop = parentPopulation(study, generation);
    if (pop.isEmpty()) {
      return Map.of();
    }
    SplittableRandom rng = TrialRandom.of(seed, trial.number(), "nsga2");
    TreeMap<String, Distribution> space = new TreeMap<>(searchSpace);
    Map<String, Double> child = new LinkedHashMap<>();
    if (rng.nextDouble() < crossoverProb) {
      child.putAll(cross(study, pop, space, rng));
    } else {
      FrozenTrial p = pop.get(rng.nextInt(pop.size()));
      for (String name : space.keySet()) {
        child.put(name, p.internalParam(name));
      }
    }
    double pm = mutationProb != null ? mutationProb : 1.0 / Math.max(1.0, child.size());
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : child.entrySet()) {
      if (rng.nextDouble() >= pm) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  @Override
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    return random.sampleIndependent(study, trial, paramName, distribution);
  }

  private Map<String, Double> cross(
      StudyView study, List<FrozenTrial> pop, TreeMap<String, Distribution> space,
      SplittableRandom rng) {
    boolean constrained = isConstrained(pop);
    FrozenTrial p0 = tournament(study.directions(), pop, rng, constrained);
    List<FrozenTrial> rest = new ArrayList<>(pop);
    rest.remove(p0);
    FrozenTrial p1 = rest.isEmpty() ? p0 : tournament(study.directions(), rest, rng, constrained);
    Map<String, Double> child = new LinkedHashMap<>();
    List<String> numeric = new ArrayList<>();
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      if (e.getValue() instanceof CategoricalDistribution) {
        FrozenTrial from = rng.nextDouble() >= swappingProb ? p0 : p1;
        child.put(e.getKey(), from.internalParam(e.getKey()));
      } else {
        numeric.add(e.getKey());
      }
    }
    if (numeric.isEmpty()) {
      return child;
    }
    int d = numeric.size();
    double[] x0 = new double[d];
    double[] x1 = new double[d];
    double[][] bounds = new double[d][];
    for (int i = 0; i < d; i++) {
      Distribution dist = space.get(numeric.get(i));
      bounds[i] = NumericSpace.bounds(dist);
      x0[i] = NumericSpace.transform(dist, p0.internalParam(numeric.get(i)));
      x1[i] = NumericSpace.transform(dist, p1.internalParam(numeric.get(i)));
    }
    double[] c = crossover.cross(x0, x1, bounds, study.isMultiObjective(), rng);
    for (int i = 0; i < d; i++) {
      child.put(numeric.get(i), NumericSpace.untransform(space.get(numeric.get(i)), c[i]));
    }
    return child;
  }

  private static FrozenTrial tournament(
      List<StudyDirection> dirs, List<FrozenTrial> pop, SplittableRandom rng,
      boolean constrained) {
    FrozenTrial a = pop.get(rng.nextInt(pop.size()));
    FrozenTrial b = pop.get(rng.nextInt(pop.size()));
    return dominates(dirs, a, b, constrained) ? a : b;
  }

  /**
   * Domination, or Deb's constrained domination when the population carries constraints: a
   * feasible trial beats an infeasible one, two infeasible ones compare by total violation.
   *
   * @param dirs the study's directions
   * @param a a COMPLETE trial
   * @param b another COMPLETE trial
   * @param constrained whether constraints are considered
   * @return whether {@code a} (constrained-)dominates {@code b}
   */
  static boolean dominates(
      List<StudyDirection> dirs, FrozenTrial a, FrozenTrial b, boolean constrained) {
    if (!constrained) {
      return StudyView.dominates(dirs, a.values(), b.values());
    }
    double va = TrialSplit.violation(a);
    double vb = TrialSplit.violation(b);
    if (va <= 0 && vb <= 0) {
      return StudyView.dominates(dirs, a.values(), b.values());
    }
    if (va <= 0) {
      return true;
    }
    if (vb <= 0) {
      return false;
    }
    return va < vb;
  }

  private static boolean isConstrained(List<FrozenTrial> pop) {
    for (FrozenTrial t : pop) {
      if (t.systemAttrs().containsKey(StudyView.CONSTRAINTS_KEY)) {
        return true;
      }
    }
    return false;
  }

  private static int generation(FrozenTrial t) {
    return t.systemAttrs().get(GENERATION_KEY) instanceof Number n ? n.intValue() : -1;
  }

  /** The parents of a generation: elites of the previous generation and its parents. */
  private List<FrozenTrial> parentPopulation(StudyView study, int generation) {
    if (generation <= 0) {
      return List.of();
    }
    String key = study.studyName() + '\u0000' + generation;
    List<FrozenTrial> cached = parents.get(key);
    if (cached != null) {
      return cached;
    }
    List<FrozenTrial> candidates = new ArrayList<>();
    for (FrozenTrial t : study.trials(TrialState.COMPLETE)) {
      if (generation(t) == generation - 1) {
        candidates.add(t);
      }
    }
    candidates.addAll(parentPopulation(study, generation - 1));
    List<FrozenTrial> elite = selectElite(study.directions(), candidates);
    parents.putIfAbsent(key, List.copyOf(elite));
    return parents.get(key);
  }

  private List<FrozenTrial> selectElite(List<StudyDirection> dirs, List<FrozenTrial> pop) {
    int n = pop.size();
    if (n == 0) {
      return List.of();
    }
    double[][] losses = new double[n][];
    for (int i = 0; i < n; i++) {
      losses[i] = TrialSplit.losses(dirs, pop.get(i));
    }
    int[] rank = constrainedRanks(pop, losses);
    int maxRank = 0;
    for (int r : rank) {
      maxRank = Math.max(maxRank, r);
    }
    List<FrozenTrial> elite = new ArrayList<>();
    for (int r = 0; r <= maxRank && elite.size() < populationSize; r++) {
      List<Integer> front = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (rank[i] == r) {
          front.add(i);
        }
      }
      if (elite.size() + front.size() < populationSize) {
        front.forEach(i -> elite.add(pop.get(i)));
        continue;
      }
      double[][] fl = new double[front.size()][];
      for (int k = 0; k < fl.length; k++) {
        fl[k] = losses[front.get(k)];
      }
      double[] cd = Pareto.crowdingDistance(fl);
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < fl.length; k++) {
        order.add(k);
      }
      order.sort(Comparator.<Integer>comparingDouble(k -> -cd[k])
          .thenComparingInt(k -> pop.get(front.get(k)).number()));
      int need = populationSize - elite.size();
      for (int k = 0; k < need; k++) {
        elite.add(pop.get(front.get(order.get(k))));
      }
    }
    return elite;
  }

  /** Ranks: feasible trials by non-domination, then infeasible ones by violation (ties share). */
  private static int[] constrainedRanks(List<FrozenTrial> pop, double[][] losses) {
    int n = pop.size();
    if (!isConstrained(pop)) {
      return Pareto.ranks(losses, n);
    }
    List<Integer> feasible = new ArrayList<>();
    List<Integer> infeasible = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (TrialSplit.violation(pop.get(i)) > 0 ? infeasible : feasible).add(i);
    }
    int[] rank = new int[n];
    double[][] fl = new double[feasible.size()][];
    for (int k = 0; k < fl.length; k++) {
      fl[k] = losses[feasible.get(k)];
    }
    int[] fr = Pareto.ranks(fl, fl.length);
    int top = 0;
    for (int k = 0; k < fr.length; k++) {
      rank[feasible.get(k)] = fr[k];
      top = Math.max(top, fr[k] + 1);
    }
    double[][] vl = new double[infeasible.size()][];
    for (int k = 0; k < vl.length; k++) {
      vl[k] = new double[] {TrialSplit.violation(pop.get(infeasible.get(k)))};
    }
    int[] ir = Pareto.ranks(vl, vl.length);
    for (int k = 0; k < ir.length; k++) {
      rank[infeasible.get(k)] = top + ir[k];
    }
    return rank;
  }

  /** Settings of an {@link NsgaIiSampler}; every setter returns this builder. */
  public static final class Builder {
    private long seed = new SplittableRandom().nextLong();
    private int populationSize = 50;
    private Double mutationProb;
    private double crossoverProb = 0.9;
    private double swappingProb = 0.5;
    private Crossover crossover;

    private Builder() {}

    /**
     * The seed.
     *
     * @param s the seed
     * @return this
     */
    public Builder seed(long s) {
      seed = s;
      return this;
    }

    /**
     * Trials per generation (default 50).
     *
     * @param n at least 2
     * @return this
     */
    public Builder populationSize(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("populationSize must be >= 2, got " + n);
      }
      populationSize = n;
      return this;
    }

    /**
     * The probability that a gene mutates (is redrawn uniformly); {@code null} for {@code 1/d}.
     *
     * @param p a probability in [0, 1], or null
     * @return this
     */
    public Builder mutationProb(Double p) {
      if (p != null && !(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("mutationProb must lie in [0, 1], got " + p);
      }
      mutationProb = p;
      return this;
    }

    /**
     * The probability that a child is made by crossover rather than copied (default 0.9).
     *
     * @param p a probability in [0, 1]
     * @return this
     */
    public Builder crossoverProb(double p) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("crossoverProb must lie in [0, 1], got " + p);
      }
      crossoverProb = p;
      return this;
    }

    /**
     * The probability of taking a categorical (and, by default, numeric) gene from the second
     * parent (default 0.5).
     *
     * @param p a probability in [0, 1]
     * @return this
     */
    public Builder swappingProb(double p) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("swappingProb must lie in [0, 1], got " + p);
      }
      swappingProb = p;
      return this;
    }

    /**
     * The numeric crossover (default {@code new Crossover.Uniform(swappingProb)}).
     *
     * @param c the crossover
     * @return this
     */
    public Builder crossover(Crossover c) {
      crossover = Objects.requireNonNull(c, "crossover");
      return this;
    }

    /**
     * Builds the sampler.
     *
     * @return a new sampler
     */
    public NsgaIiSampler build() {
      return new NsgaIiSampler(this);
    }
  }
}
