package dev.bilevel.hpo.storage;

import dev.bilevel.hpo.StudyDirection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable summary of a stored study (Optuna's {@code FrozenStudy}).
 *
 * @param studyId the storage-wide id
 * @param studyName the unique name
 * @param directions one per objective
 * @param userAttrs user attributes
 * @param systemAttrs system attributes
 */
public record FrozenStudy(
    long studyId,
    String studyName,
    List<StudyDirection> directions,
    Map<String, Object> userAttrs,
    Map<String, Object> systemAttrs) {

  /**
   * Copies the collections.
   *
   * @param studyId see the record component of the same name
   * @param studyName see the record component of the same name
   * @param directions see the record component of the same name
   * @param userAttrs see the record component of the same name
   * @param systemAttrs see the record component of the same name
   */
  @SuppressWarnings("unchecked")
  public FrozenStudy {
    Objects.requireNonNull(studyName, "studyName");
    directions = List.copyOf(directions);
    userAttrs = (Map<String, Object>) OptunaJson.freeze(userAttrs);
    systemAttrs = (Map<String, Object>) OptunaJson.freeze(systemAttrs);
  }
}
