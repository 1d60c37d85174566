package dev.bilevel.dashboard;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.storage.Storage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each study's trials, read incrementally. The Storage contract makes a finished trial immutable
 * (writes to it fail with {@code UpdateFinishedTrialException}) and numbers a study's trials
 * 0, 1, 2, … in creation order, so a refresh only counts the trials, re-reads the unfinished ones
 * and reads the new numbers; a study whose trials break that numbering, or that changed a lot, is
 * read in full. The same list instance comes back while nothing changed, so callers may cache
 * what they derive from it by identity. This keeps polling a 10,000-trial study cheap.
 */
final class TrialCache {
  /** Beyond this many unfinished or new trials a full read is cheaper than one read per trial. */
  private static final int MAX_INCREMENTAL = 64;

  private final Storage storage;
  private final Map<Long, List<FrozenTrial>> byStudy = new HashMap<>();

  TrialCache(Storage storage) {
    this.storage = storage;
  }

  /**
   * The study's current trials, ordered by number.
   *
   * @param studyId an existing study
   * @return an immutable list
   */
  synchronized List<FrozenTrial> trials(long studyId) {
    List<FrozenTrial> cached = byStudy.get(studyId);
    int n = storage.getNTrials(studyId, null);
    List<FrozenTrial> fresh = cached == null ? null : refresh(studyId, cached, n);
    if (fresh == null) {
      List<FrozenTrial> all = new ArrayList<>(storage.getAllTrials(studyId, null));
      all.sort(Comparator.comparingInt(FrozenTrial::number));
      fresh = List.copyOf(all);
    }
    byStudy.put(studyId, fresh);
    return fresh;
  }

  /** Returns null when a full read is needed. */
  private List<FrozenTrial> refresh(long studyId, List<FrozenTrial> cached, int n) {
    int added = n - cached.size();
    long open = cached.stream().filter(t -> !t.state().isFinished()).count();
    if (added < 0 || added + open > MAX_INCREMENTAL) {
      return null;
    }
    if (added == 0 && open == 0) {
      return cached;
    }
    List<FrozenTrial> out = new ArrayList<>(cached);
    boolean changed = added > 0;
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).number() != i) {
        return null;
      }
      if (!out.get(i).state().isFinished()) {
        FrozenTrial now = storage.getTrial(out.get(i).trialId());
        changed |= !now.equals(out.get(i));
        out.set(i, now);
      }
    }
    if (!changed) {
      return cached;
    }
    for (int number = cached.size(); number < n; number++) {
      out.add(storage.getTrial(storage.getTrialIdFromStudyIdTrialNumber(studyId, number)));
    }
    return List.copyOf(out);
  }

  /**
   * Forgets a study (for example after it disappeared from the storage).
   *
   * @param studyId the study
   */
  synchronized void forget(long studyId) {
    byStudy.remove(studyId);
  }
}
