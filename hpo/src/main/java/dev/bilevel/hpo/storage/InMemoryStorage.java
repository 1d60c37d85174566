package dev.bilevel.hpo.storage;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A {@link Storage} in the heap of one JVM; the default storage of a study.
 *
 * <p>Thread safety: every method holds the storage's monitor, so each call is atomic, in particular
 * the compare-and-set of {@link #setTrialStateValues}. Snapshots of a trial are built lazily and
 * cached until the trial changes, so reading finished trials costs no copying. Finished trials
 * never change, so for each set of finished states asked for (say COMPLETE and PRUNED) the
 * immutable list of the study's trials in them is cached too, and a trial that finishes is
 * appended to it (sharing the array, whose filled prefix never changes); {@link #getAllTrials}
 * merges it, by number, with the few unfinished (WAITING or RUNNING) trials asked for, which the
 * study keeps apart. A sampler asking for the finished history thus costs amortized {@code O(1)}
 * per call, not a walk over the trials.
 */
public final class InMemoryStorage implements Storage {

  private final Map<Long, StudyRecord> studies = new LinkedHashMap<>();
  private final Map<String, Long> studyIdsByName = new LinkedHashMap<>();
  private final Map<Long, TrialRecord> trials = new LinkedHashMap<>();
  private long nextStudyId;
  private long nextTrialId;

  /** Creates an empty storage. */
  public InMemoryStorage() {}

  @Override
  public synchronized long createNewStudy(List<StudyDirection> directions, String studyName) {
    if (directions == null || directions.isEmpty() || directions.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("A study needs at least one non-null direction");
    }
    String name = studyName == null ? "no-name-" + UUID.randomUUID() : studyName;
    if (studyIdsByName.containsKey(name)) {
      throw new DuplicatedStudyException(name);
    }
    long id = nextStudyId++;
    studies.put(id, new StudyRecord(id, name, List.copyOf(directions)));
    studyIdsByName.put(name, id);
    return id;
  }

  @Override
  public synchronized void deleteStudy(long studyId) {
    StudyRecord study = study(studyId);
    for (TrialRecord t : study.trials) {
      trials.remove(t.id);
    }
    studies.remove(studyId);
    studyIdsByName.remove(study.name);
  }

  @Override
  public synchronized void setStudyUserAttr(long studyId, String key, Object value) {
    study(studyId).userAttrs.put(Objects.requireNonNull(key, "key"), OptunaJson.freeze(value));
  }

  @Override
  public synchronized void setStudySystemAttr(long studyId, String key, Object value) {
    study(studyId).systemAttrs.put(Objects.requireNonNull(key, "key"), OptunaJson.freeze(value));
  }

  @Override
  public synchronized long getStudyIdFromName(String studyName) {
    Long id = studyIdsByName.get(studyName);
    if (id == null) {
      throw new NoSuchElementException("No study named '" + studyName + "'");
    }
    return id;
  }

  @Override
  public synchronized String getStudyNameFromId(long studyId) {
    return study(studyId).name;
  }

  @Override
  public synchronized List<StudyDirection> getStudyDirections(long studyId) {
    return study(studyId).directions;
  }

  @Override
  public synchronized Map<String, Object> getStudyUserAttrs(long studyId) {
    return copy(study(studyId).userAttrs);
  }

  @Override
  public synchronized Map<String, Object> getStudySystemAttrs(long studyId) {
    return copy(study(studyId).systemAttrs);
  }

  @Override
  public synchronized List<FrozenStudy> getAllStudies() {
    List<FrozenStudy> out = new ArrayList<>();
    for (StudyRecord s : studies.values()) {
      out.add(new FrozenStudy(s.id, s.name, s.directions, s.userAttrs, s.systemAttrs));
    }
    return List.copyOf(out);
  }

  @Override
  public synchronized long createNewTrial(long studyId, FrozenTrial template) {
    StudyRecord study = study(studyId);
    TrialRecord t = new TrialRecord(nextTrialId, studyId, study.trials.size());
    if (template == null) {
      t.state = TrialState.RUNNING;
      t.start = Instant.now();
    } else {
      for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
        Distribution known = study.paramDistributions.get(e.getKey());
        if (known != null) {
          Distribution.checkCompatibility(known, e.getValue());
        }
      }
      if (template.state().isFinished()) {
        checkValues(study, template.state(), template.values());
      }
      t.state = template.state();
      t.values = template.values();
      t.start = template.datetimeStart();
      t.complete = template.datetimeComplete();
      t.params.putAll(template.params());
      t.distributions.putAll(template.distributions());
      t.userAttrs.putAll(template.userAttrs());
      t.systemAttrs.putAll(template.systemAttrs());
      t.intermediate.putAll(template.intermediateValues());
      study.paramDistributions.putAll(template.distributions());
    }
    nextTrialId++;
    study.trials.add(t);
    if (!t.state.isFinished()) {
      study.unfinished.put(t.number, t);
    } else {
      finished(study, t);
    }
    trials.put(t.id, t);
    return t.id;
  }

  @Override
  public synchronized void setTrialParam(
      long trialId, String paramName, double internalValue, Distribution distribution) {
    TrialRecord t = updatable(trialId);
    Objects.requireNonNull(paramName, "paramName");
    StudyRecord study = study(t.studyId);
    Distribution known = study.paramDistributions.get(paramName);
    if (known != null) {
      Distribution.checkCompatibility(known, distribution);
    }
    Object external = distribution.toExternal(internalValue);
    study.paramDistributions.put(paramName, distribution);
    t.params.put(paramName, external);
    t.distributions.put(paramName, distribution);
    t.snapshot = null;
  }

  @Override
  public synchronized long getTrialIdFromStudyIdTrialNumber(long studyId, int trialNumber) {
    List<TrialRecord> list = study(studyId).trials;
    if (trialNumber < 0 || trialNumber >= list.size()) {
      throw new NoSuchElementException(
          "No trial number " + trialNumber + " in study " + studyId);
    }
    return list.get(trialNumber).id;
  }

  @Override
  public synchronized int getTrialNumberFromId(long trialId) {
    return trial(trialId).number;
  }

  @Override
  public synchronized boolean setTrialStateValues(
      long trialId, TrialState state, List<Double> values) {
    Objects.requireNonNull(state, "state");
    if (state == TrialState.WAITING) {
      throw new IllegalArgumentException("A trial cannot be set back to WAITING");
    }
    TrialRecord t = updatable(trialId);
    List<Double> copied = List.copyOf(values == null ? List.of() : values);
    if (state == TrialState.RUNNING) {
      if (t.state != TrialState.WAITING) {
        return false;
      }
      t.start = Instant.now();
    } else {
      if (t.state != TrialState.RUNNING) {
        return false;
      }
      StudyRecord study = study(t.studyId);
      checkValues(study, state, copied);
      t.complete = Instant.now();
      t.values = copied;
      study.unfinished.remove(t.number);
    }
    t.state = state;
    t.snapshot = null;
    if (state.isFinished()) {
      finished(study(t.studyId), t);
    }
    return true;
  }

  @Override
  public synchronized void setTrialIntermediateValue(long trialId, int step, double value) {
    TrialRecord t = updatable(trialId);
    t.intermediate.put(step, value);
    t.snapshot = null;
  }

  @Override
  public synchronized void setTrialUserAttr(long trialId, String key, Object value) {
    Object frozen = OptunaJson.freeze(value);
    TrialRecord t = updatable(trialId);
    t.userAttrs.put(Objects.requireNonNull(key, "key"), frozen);
    t.snapshot = null;
  }

  @Override
  public synchronized void setTrialSystemAttr(long trialId, String key, Object value) {
    Object frozen = OptunaJson.freeze(value);
    TrialRecord t = updatable(trialId);
    t.systemAttrs.put(Objects.requireNonNull(key, "key"), frozen);
    t.snapshot = null;
  }

  @Override
  public synchronized FrozenTrial getTrial(long trialId) {
    return trial(trialId).snapshot();
  }

  @Override
  public synchronized List<FrozenTrial> getAllTrials(long studyId, Set<TrialState> states) {
    StudyRecord study = study(studyId);
    Set<TrialState> wanted =
        states == null || states.isEmpty() ? EnumSet.allOf(TrialState.class) : states;
    EnumSet<TrialState> finishedStates = EnumSet.noneOf(TrialState.class);
    for (TrialState s : wanted) {
      if (s != null && s.isFinished()) {
        finishedStates.add(s);
      }
    }
    List<FrozenTrial> finished =
        finishedStates.isEmpty() ? List.of() : finished(study, finishedStates);
    List<FrozenTrial> open = new ArrayList<>();
    for (TrialRecord t : study.unfinished.values()) {
      if (wanted.contains(t.state)) {
        open.add(t.snapshot());
      }
    }
    if (open.isEmpty()) {
      return finished;
    }
    // Both parts are ordered by number: merge them.
    int size = finished.size() + open.size();
    FrozenTrial[] out = new FrozenTrial[size];
    int i = 0;
    int j = 0;
    for (int k = 0; k < out.length; k++) {
      boolean takeFinished =
          j == open.size()
              || (i < finished.size() && finished.get(i).number() < open.get(j).number());
      out[k] = takeFinished ? finished.get(i++) : open.get(j++);
    }
    return new Prefix(out, size);
  }

  /** The study's trials in the given finished states, by number; cached and kept up to date. */
  private static List<FrozenTrial> finished(StudyRecord study, EnumSet<TrialState> states) {
    Prefix cached = study.finishedLists.get(states);
    if (cached == null) {
      FrozenTrial[] out = new FrozenTrial[study.trials.size()];
      int size = 0;
      for (TrialRecord t : study.trials) {
        if (states.contains(t.state)) {
          out[size++] = t.snapshot();
        }
      }
      cached = new Prefix(out, size);
      study.finishedLists.put(states, cached);
    }
    return cached;
  }

  /**
   * Brings the cached lists up to date with a trial that has just finished: appended where it is
   * the latest (the usual case), else the list is dropped and rebuilt when next asked for.
   */
  private static void finished(StudyRecord study, TrialRecord t) {
    study.finishedLists.entrySet().removeIf(e -> {
      if (!e.getKey().contains(t.state)) {
        return false;
      }
      Prefix list = e.getValue();
      if (list.size() > 0 && list.get(list.size() - 1).number() > t.number) {
        return true;
      }
      e.setValue(list.append(t.snapshot()));
      return false;
    });
  }

  /**
   * An unmodifiable list of the first {@code size} entries of an array that is only ever appended
   * to: later appends write beyond {@code size} (or into a copy), so the list never changes.
   */
  private static final class Prefix extends AbstractList<FrozenTrial> implements RandomAccess {
    private final FrozenTrial[] items;
    private final int size;

    Prefix(FrozenTrial[] items, int size) {
      this.items = items;
      this.size = size;
    }

    /** This list with one more entry; shares the array while it has room. */
    Prefix append(FrozenTrial t) {
      FrozenTrial[] a = items;
      if (size == a.length || a[size] != null) {
        a = Arrays.copyOf(items, Math.max(16, 2 * size));
      }
      a[size] = t;
      return new Prefix(a, size + 1);
    }

    @Override
    public FrozenTrial get(int index) {
      Objects.checkIndex(index, size);
      return items[index];
    }

    @Override
    public int size() {
      return size;
    }
  }

  @Override
  public synchronized int getNTrials(long studyId, Set<TrialState> states) {
    if (states == null || states.isEmpty()) {
      return study(studyId).trials.size();
    }
    int n = 0;
    for (TrialRecord t : study(studyId).trials) {
      if (states.contains(t.state)) {
        n++;
      }
    }
    return n;
  }

  private StudyRecord study(long studyId) {
    StudyRecord s = studies.get(studyId);
    if (s == null) {
      throw new NoSuchElementException("No study with id " + studyId);
    }
    return s;
  }

  private TrialRecord trial(long trialId) {
    TrialRecord t = trials.get(trialId);
    if (t == null) {
      throw new NoSuchElementException("No trial with id " + trialId);
    }
    return t;
  }

  private TrialRecord updatable(long trialId) {
    TrialRecord t = trial(trialId);
    if (t.state.isFinished()) {
      throw new UpdateFinishedTrialException(t.id, t.number, t.state);
    }
    return t;
  }

  private static void checkValues(StudyRecord study, TrialState state, List<Double> values) {
    if (state == TrialState.COMPLETE && values.isEmpty()) {
      throw new IllegalArgumentException("A COMPLETE trial needs objective values");
    }
    if (!values.isEmpty() && values.size() != study.directions.size()) {
      throw new IllegalArgumentException(
          "Got " + values.size() + " values for a study with " + study.directions.size()
              + " objectives");
    }
    if (state == TrialState.COMPLETE && values.stream().anyMatch(v -> Double.isNaN(v))) {
      throw new IllegalArgumentException("A COMPLETE trial cannot have NaN values: " + values);
    }
  }

  private static Map<String, Object> copy(Map<String, Object> attrs) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  private static final class StudyRecord {
    final long id;
    final String name;
    final List<StudyDirection> directions;
    final Map<String, Object> userAttrs = new LinkedHashMap<>();
    final Map<String, Object> systemAttrs = new LinkedHashMap<>();
    final List<TrialRecord> trials = new ArrayList<>();
    final Map<String, Distribution> paramDistributions = new LinkedHashMap<>();
    /** State set (finished states only) → its trials, updated whenever a trial finishes. */
    final Map<Set<TrialState>, Prefix> finishedLists = new HashMap<>();
    /** The WAITING and RUNNING trials, by number. */
    final Map<Integer, TrialRecord> unfinished = new LinkedHashMap<>();

    StudyRecord(long id, String name, List<StudyDirection> directions) {
      this.id = id;
      this.name = name;
      this.directions = directions;
    }
  }

  private static final class TrialRecord {
    final long id;
    final long studyId;
    final int number;
    TrialState state;
    List<Double> values = List.of();
    Instant start;
    Instant complete;
    final Map<String, Object> params = new LinkedHashMap<>();
    final Map<String, Distribution> distributions = new LinkedHashMap<>();
    final Map<String, Object> userAttrs = new LinkedHashMap<>();
    final Map<String, Object> systemAttrs = new LinkedHashMap<>();
    final TreeMap<Integer, Double> intermediate = new TreeMap<>();
    FrozenTrial snapshot;

    TrialRecord(long id, long studyId, int number) {
      this.id = id;
      this.studyId = studyId;
      this.number = number;
    }

    FrozenTrial snapshot() {
      if (snapshot == null) {
        snapshot =
            new FrozenTrial(
                id, number, state, values, start, complete, params, distributions, userAttrs,
                systemAttrs, intermediate);
      }
      return snapshot;
    }
  }
}
