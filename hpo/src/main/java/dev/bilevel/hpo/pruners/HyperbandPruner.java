package dev.bilevel.hpo.pruners;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.TrialState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Hyperband (Li et al., "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
 * Optimization", JMLR 18, 2018) over asynchronous successive halving, as Optuna's {@code
 * HyperbandPruner}.
 *
 * <p>With {@code R} = max resource, {@code r} = min resource and {@code η} = reduction factor,
 * there are {@code B = ⌊log_η(R/r)⌋ + 1} brackets (computed in floating point, as Optuna).
 * Bracket {@code b} is a {@link SuccessiveHalvingPruner} with min early-stopping rate {@code b},
 * and gets the share {@code ⌈B·η^s/(s+1)⌉}, {@code s = B−1−b}, of trials. Trial {@code n} of study
 * {@code name} belongs to the bracket in which the cumulative shares first exceed {@code
 * crc32("name_n") mod Σ shares} (the same assignment as Optuna, so both agree on shared studies).
 * Trials compete only with trials of their own bracket.
 *
 * <p>With {@code maxResource == null} ("auto"), {@code R} is one more than the last step of the
 * first COMPLETE trial seen; nothing is pruned before that.
 */
public final class HyperbandPruner implements Pruner {
  private final int minResource;
  private final int reductionFactor;
  private final int bootstrapCount;
  private volatile Brackets brackets;

  private record Brackets(List<SuccessiveHalvingPruner> pruners, int[] budgets, int total) {}

  /**
   * Creates the pruner.
   *
   * @param minResource {@code r ≥ 1}
   * @param maxResource {@code R ≥ r}, or {@code null} to take it from the first complete trial
   * @param reductionFactor {@code η ≥ 2}
   * @param bootstrapCount see {@link SuccessiveHalvingPruner} (requires a given maxResource when
   *     {@code > 0})
   */
  public HyperbandPruner(
      int minResource, Integer maxResource, int reductionFactor, int bootstrapCount) {
    if (minResource < 1) {
      throw new IllegalArgumentException("minResource must be >= 1, got " + minResource);
    }
    if (maxResource != null && maxResource < minResource) {
      throw new IllegalArgumentException(
          "maxResource must be >= minResource, got " + maxResource + " < " + minResource);
    }
    if (reductionFactor < 2) {
      throw new IllegalArgumentException("reductionFactor must be >= 2, got " + reductionFactor);
    }
    if (bootstrapCount > 0 && maxResource == null) {
      throw new IllegalArgumentException("bootstrapCount > 0 needs an explicit maxResource");
    }
    this.minResource = minResource;
    this.reductionFactor = reductionFactor;
    this.bootstrapCount = bootstrapCount;
    if (maxResource != null) {
      brackets = build(maxResource);
    }
  }

  /** Optuna's defaults: r = 1, automatic R, η = 3. */
  public HyperbandPruner() {
    this(1, null, 3, 0);
  }

  private Brackets build(int maxResource) {
    int n =
        (int) Math.floor(Math.log((double) maxResource / minResource) / Math.log(reductionFactor))
            + 1;
    List<SuccessiveHalvingPruner> pruners = new ArrayList<>();
    int[] budgets = new int[n];
    int total = 0;
    for (int b = 0; b < n; b++) {
      int s = n - 1 - b;
      budgets[b] = (int) Math.ceil(n * Math.pow(reductionFactor, s) / (s + 1));
      total += budgets[b];
      pruners.add(new SuccessiveHalvingPruner(minResource, reductionFactor, b, bootstrapCount));
    }
    return new Brackets(List.copyOf(pruners), budgets, total);
  }

  /**
   * The number of brackets, once known.
   *
   * @return {@code B}, or 0 while the max resource is not yet known
   */
  public int bracketCount() {
    Brackets b = brackets;
    return b == null ? 0 : b.pruners().size();
  }

  /**
   * The bracket of a trial, once the brackets are known.
   *
   * @param studyName the study's name
   * @param trialNumber the trial's number
   * @return the bracket index in {@code [0, B)}
   * @throws IllegalStateException while the max resource is not yet known
   */
  public int bracketOf(String studyName, int trialNumber) {
    Brackets b = brackets;
    if (b == null) {
      throw new IllegalStateException("The brackets are not known before the max resource");
    }
    CRC32 crc = new CRC32();
    crc.update((studyName + "_" + trialNumber).getBytes(StandardCharsets.UTF_8));
    long n = crc.getValue() % b.total();
    for (int i = 0; i < b.budgets().length; i++) {
      n -= b.budgets()[i];
      if (n < 0) {
        return i;
      }
    }
    throw new AssertionError("unreachable: shares sum to the total");
  }

  @Override
  public boolean prune(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    if (brackets == null) {
      int maxStep = -1;
      for (FrozenTrial t : study.trials(TrialState.COMPLETE)) {
        if (t.lastStep().isPresent()) {
          maxStep = Math.max(maxStep, t.lastStep().getAsInt());
        }
      }
      if (maxStep < 0) {
        return false;
      }
      synchronized (this) {
        if (brackets == null) {
          brackets = build(Math.max(maxStep + 1, minResource));
        }
      }
    }
    int bracket = bracketOf(study.studyName(), trial.number());
    StudyView bracketView = new BracketView(study, bracket);
    return brackets.pruners().get(bracket).prune(bracketView, trial, attrs);
  }

  /** The study restricted to the trials of one bracket. */
  private final class BracketView implements StudyView {
    private final StudyView study;
    private final int bracket;

    BracketView(StudyView study, int bracket) {
      this.study = study;
      this.bracket = bracket;
    }

    @Override
    public String studyName() {
      return study.studyName();
    }

    @Override
    public List<StudyDirection> directions() {
      return study.directions();
    }

    @Override
    public List<FrozenTrial> trials(Set<TrialState> states) {
      List<FrozenTrial> out = new ArrayList<>();
      for (FrozenTrial t : study.trials(states)) {
        if (bracketOf(study.studyName(), t.number()) == bracket) {
          out.add(t);
        }
      }
      return List.copyOf(out);
    }

    @Override
    public Map<String, Object> userAttrs() {
      return study.userAttrs();
    }

    @Override
    public Map<String, Object> systemAttrs() {
      return study.systemAttrs();
    }
  }
}
