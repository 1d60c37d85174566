package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.SystemAttrWriter;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.storage.OptunaJson;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exhaustive search over a grid (Optuna's {@code GridSampler}).
 *
 * <p>The grid is the Cartesian product of the value lists, with parameter names sorted and each
 * list sorted when its values are mutually comparable (all numbers, all strings or all booleans);
 * grid id {@code g} is the mixed-radix index of a combination with the last name varying fastest
 * (Python's {@code itertools.product} order, so ids agree with Optuna's).
 *
 * <p><b>Claiming grid points.</b> When a trial starts, the sampler writes Optuna's trial system
 * attributes {@code search_space} (name → sorted values) and {@code grid_id}. Candidates are the
 * grid points not used by a finished or RUNNING trial with the same search space; if none is left,
 * those not yet finished (a point whose trial is still running is evaluated again); if all are
 * finished, any point. Among the candidates the trial takes the one at position {@code (n + o) mod
 * c} ({@code n} its number, {@code o} a seed-derived offset, {@code c} the number of candidates).
 * Claims are serialized within one sampler instance, so threads of one process never share a
 * point while unclaimed points remain; workers in other processes see each other's claims through
 * the storage, and concurrent workers, having distinct trial numbers, pick distinct positions of
 * the same candidate list (where Optuna picks at random). An enqueued trial whose fixed
 * parameters name a grid point is given that point's id.
 *
 * <p>{@link #isExhausted} reports when every point has been evaluated, which ends {@code
 * optimize}.
 */
public final class GridSampler implements Sampler {
  /** Trial system attribute holding the search space the grid id refers to. */
  public static final String SEARCH_SPACE_KEY = "search_space";
  /** Trial system attribute holding the grid id. */
  public static final String GRID_ID_KEY = "grid_id";

  private static final System.Logger LOG = System.getLogger(GridSampler.class.getName());

  private final Map<String, List<Object>> searchSpace;
  private final List<String> names;
  private final long gridSize;
  private final long offset;

  /**
   * Creates the sampler.
   *
   * @param searchSpace parameter name → values (null, Boolean, Number, String), none empty
   * @param seed seed of the offset that spreads workers over the grid
   * @throws IllegalArgumentException for an empty value list or an unsupported value type
   */
  @SuppressWarnings("unchecked")
  public GridSampler(Map<String, List<?>> searchSpace, long seed) {
    TreeMap<String, List<Object>> sorted = new TreeMap<>();
    long size = 1;
    for (Map.Entry<String, List<?>> e : searchSpace.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("Grid values of '" + e.getKey() + "' are empty");
      }
      for (Object v : e.getValue()) {
        if (v != null && !(v instanceof Boolean || v instanceof Number || v instanceof String)) {
          throw new IllegalArgumentException("Grid value " + v + " of '" + e.getKey()
              + "' must be null, Boolean, Number or String");
        }
      }
      List<Object> values = new ArrayList<>((List<Object>) OptunaJson.freeze(e.getValue()));
      sortIfComparable(values);
      sorted.put(e.getKey(), java.util.Collections.unmodifiableList(values));
      size = Math.multiplyExact(size, values.size());
    }
    this.searchSpace = java.util.Collections.unmodifiableMap(sorted);
    this.names = List.copyOf(sorted.keySet());
    this.gridSize = size;
    this.offset = Math.floorMod(TrialRandom.mix(seed), size);
  }

  private static void sortIfComparable(List<Object> values) {
    if (values.stream().allMatch(v -> v instanceof Number)) {
      values.sort((a, b) -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
    } else if (values.stream().allMatch(v -> v instanceof String)) {
      values.sort((a, b) -> ((String) a).compareTo((String) b));
    } else if (values.stream().allMatch(v -> v instanceof Boolean)) {
      values.sort((a, b) -> Boolean.compare((Boolean) a, (Boolean) b));
    }
  }

  /**
   * The number of grid points.
   *
   * @return the product of the value-list sizes
   */
  public long gridSize() {
    return gridSize;
  }

  /**
   * The parameter values of a grid point.
   *
   * @param gridId the id, in {@code [0, gridSize)}
   * @return name → external value, names sorted
   */
  public Map<String, Object> gridPoint(long gridId) {
    Map<String, Object> point = new LinkedHashMap<>();
    long rest = gridId;
    long[] digits = new long[names.size()];
    for (int i = names.size() - 1; i >= 0; i--) {
      int n = searchSpace.get(names.get(i)).size();
      digits[i] = rest % n;
      rest /= n;
    }
    for (int i = 0; i < names.size(); i++) {
      point.put(names.get(i), searchSpace.get(names.get(i)).get((int) digits[i]));
    }
    return point;
  }

  @Override
  public synchronized void beforeTrial(StudyView study, FrozenTrial trial, SystemAttrWriter attrs) {
    if (trial.systemAttrs().containsKey(GRID_ID_KEY)) {
      return;
    }
    Long gridId = null;
    if (trial.systemAttrs().get(Trial.FIXED_PARAMS_KEY) instanceof Map<?, ?> fixed) {
      gridId = idOf(fixed);
    }
    if (gridId == null) {
      gridId = choose(study, trial.number());
    }
    attrs.set(SEARCH_SPACE_KEY, searchSpace);
    attrs.set(GRID_ID_KEY, gridId);
  }

  private Long idOf(Map<?, ?> fixed) {
    long id = 0;
    for (String name : names) {
      List<Object> values = searchSpace.get(name);
      int index = values.indexOf(fixed.get(name));
      if (!fixed.containsKey(name) || index < 0) {
        return null;
      }
      id = id * values.size() + index;
    }
    return id;
  }

  private long choose(StudyView study, int trialNumber) {
    TreeSet<Long> finished = new TreeSet<>();
    TreeSet<Long> running = new TreeSet<>();
    collect(study, finished, running);
    TreeSet<Long> excluded = new TreeSet<>(finished);
    excluded.addAll(running);
    if (excluded.size() >= gridSize) {
      excluded = finished;
      if (excluded.size() >= gridSize) {
        LOG.log(Level.WARNING, "GridSampler: the grid is exhausted; re-evaluating a point");
        excluded = new TreeSet<>();
      }
    }
    long candidates = gridSize - excluded.size();
    long k = Math.floorMod(trialNumber + offset, candidates);
    long id = k;
    for (long e : excluded) {
      if (e <= id) {
        id++;
      } else {
        break;
      }
    }
    return id;
  }

  private void collect(StudyView study, TreeSet<Long> finished, TreeSet<Long> running) {
    for (FrozenTrial t : study.trials()) {
      if (t.systemAttrs().get(GRID_ID_KEY) instanceof Number id
          && searchSpace.equals(t.systemAttrs().get(SEARCH_SPACE_KEY))) {
        if (t.state().isFinished()) {
          finished.add(id.longValue());
        } else if (t.state() == TrialState.RUNNING) {
          running.add(id.longValue());
        }
      }
    }
  }

  @Override
  public double sampleIndependent(
      StudyView study, FrozenTrial trial, String paramName, Distribution distribution) {
    if (!(trial.systemAttrs().get(GRID_ID_KEY) instanceof Number gridId)) {
      throw new IllegalArgumentException(
          "Trial " + trial.number() + " has no grid id; GridSampler assigns one in beforeTrial");
    }
    if (!searchSpace.containsKey(paramName)) {
      throw new IllegalArgumentException(
          "The parameter name, " + paramName + ", is not found in the given grid");
    }
    Object value = gridPoint(gridId.longValue()).get(paramName);
    double internal = distribution.toInternal(value);
    if (!distribution.contains(internal)) {
      LOG.log(Level.WARNING, "Grid value {0} of ''{1}'' lies outside {2}; using it anyway",
          value, paramName, distribution);
    }
    return internal;
  }

  @Override
  public boolean isExhausted(StudyView study) {
    TreeSet<Long> finished = new TreeSet<>();
    collect(study, finished, new TreeSet<>());
    return finished.size() >= gridSize;
  }
}
