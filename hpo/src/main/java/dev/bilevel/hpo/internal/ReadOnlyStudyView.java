package dev.bilevel.hpo.internal;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.StudyView;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.storage.Storage;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link StudyView} handed to samplers and pruners: reads go to the storage, and there is no
 * way back to the mutable {@link dev.bilevel.hpo.Study}.
 */
public final class ReadOnlyStudyView implements StudyView {
  private final Storage storage;
  private final long studyId;
  private final String name;
  private final List<StudyDirection> directions;

  /**
   * Creates the view.
   *
   * @param storage the storage
   * @param studyId the study
   * @param name its name
   * @param directions its directions
   */
  public ReadOnlyStudyView(
      Storage storage, long studyId, String name, List<StudyDirection> directions) {
    this.storage = storage;
    this.studyId = studyId;
    this.name = name;
    this.directions = List.copyOf(directions);
  }

  @Override
  public String studyName() {
    return name;
  }

  @Override
  public List<StudyDirection> directions() {
    return directions;
  }

  @Override
  public List<FrozenTrial> trials(Set<TrialState> states) {
    return storage.getAllTrials(studyId, states);
  }

  @Override
  public Map<String, Object> userAttrs() {
    return storage.getStudyUserAttrs(studyId);
  }

  @Override
  public Map<String, Object> systemAttrs() {
    return storage.getStudySystemAttrs(studyId);
  }
}
