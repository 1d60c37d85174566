package dev.bilevel.hpo;

import dev.bilevel.hpo.pruners.NopPruner;
import dev.bilevel.hpo.pruners.Pruner;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.hpo.samplers.Sampler;
import dev.bilevel.hpo.storage.InMemoryStorage;
import dev.bilevel.hpo.storage.Storage;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Configures and creates or loads a {@link Study}. Defaults: an {@link InMemoryStorage}, a {@link
 * RandomSampler} with a random seed, a {@link NopPruner}, one objective to minimize, a generated
 * name, no constraints.
 *
 * <pre>{@code
 * Study study = Study.builder().name("lr-search").storage(storage)
 *     .sampler(new RandomSampler(7)).pruner(new MedianPruner())
 *     .directions(StudyDirection.MINIMIZE).createOrLoad();
 * }</pre>
 */
public final class StudyBuilder {

  private Storage storage = new InMemoryStorage();
  private Sampler sampler;
  private Pruner pruner = new NopPruner();
  private String name;
  private List<StudyDirection> directions = List.of(StudyDirection.MINIMIZE);
  private ConstraintsFunction constraints;

  StudyBuilder() {}

  /**
   * Sets where studies and trials are kept; workers sharing a study share this storage.
   *
   * @param s the storage
   * @return this builder
   */
  public StudyBuilder storage(Storage s) {
    this.storage = Objects.requireNonNull(s);
    return this;
  }

  /**
   * Sets the sampler that proposes parameters.
   *
   * @param s the sampler
   * @return this builder
   */
  public StudyBuilder sampler(Sampler s) {
    this.sampler = Objects.requireNonNull(s);
    return this;
  }

  /**
   * Sets the pruner consulted by {@link Trial#shouldPrune()}.
   *
   * @param p the pruner
   * @return this builder
   */
  public StudyBuilder pruner(Pruner p) {
    this.pruner = Objects.requireNonNull(p);
    return this;
  }

  /**
   * Sets the study's unique name ({@code null}: generated when creating).
   *
   * @param n the study name
   * @return this builder
   */
  public StudyBuilder name(String n) {
    this.name = n;
    return this;
  }

  /**
   * Sets the objectives' directions (several: a multi-objective study).
   *
   * @param d one direction per objective
   * @return this builder
   */
  public StudyBuilder directions(StudyDirection... d) {
    if (d.length == 0) {
      throw new IllegalArgumentException("At least one direction is needed");
    }
    this.directions = List.of(d);
    return this;
  }

  /**
   * Sets constraints stored with each COMPLETE or PRUNED trial; infeasible trials are never best.
   *
   * @param c the constraints function
   * @return this builder
   */
  public StudyBuilder constraints(ConstraintsFunction c) {
    this.constraints = Objects.requireNonNull(c);
    return this;
  }

  /**
   * Creates a new study.
   *
   * @return the study
   * @throws dev.bilevel.hpo.storage.DuplicatedStudyException if the name is taken
   */
  public Study create() {
    fillDefaults();
    return new Study(
        storage, storage.createNewStudy(directions, name), sampler, pruner, constraints);
  }

  /**
   * Loads an existing study by name (its stored directions win over {@link #directions}).
   *
   * @return the study
   * @throws NoSuchElementException if there is no study with the name
   */
  public Study load() {
    fillDefaults();
    return new Study(
        storage, storage.getStudyIdFromName(Objects.requireNonNull(name, "name")), sampler, pruner,
        constraints);
  }

  /**
   * Loads the named study if it exists, else creates it.
   *
   * @return the study
   */
  public Study createOrLoad() {
    if (name != null) {
      try {
        return load();
      } catch (NoSuchElementException e) {
        return create();
      }
    }
    return create();
  }

  private void fillDefaults() {
    if (sampler == null) {
      sampler = new RandomSampler(new java.util.SplittableRandom().nextLong());
    }
  }
}
