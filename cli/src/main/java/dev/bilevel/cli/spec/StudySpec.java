package dev.bilevel.cli.spec;

import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.distributions.Distribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated study spec: what {@code bilevel optimize --spec study.yaml} runs. See {@link
 * SpecParser} for the YAML form.
 *
 * @param file the spec file
 * @param studyName the study (created, or loaded when it exists)
 * @param directions one per objective
 * @param storage the storage URL, or {@code null} for the command line's default
 * @param storageLine the line of {@code storage:} (0 if absent), for messages
 * @param nTrials trials to run, or {@code null} (then {@code timeout} bounds the run)
 * @param timeout no trial starts after this, or {@code null}
 * @param threads worker threads, at least 1
 * @param sampler the sampler
 * @param pruner the pruner
 * @param space the search space in declaration order (suggested at the start of each trial)
 * @param objective the objective
 */
public record StudySpec(Path file, String studyName, List<StudyDirection> directions, String storage,
        int storageLine, Integer nTrials, Duration timeout, int threads, SamplerSpec sampler, PrunerSpec pruner,
        Map<String, Distribution> space, ObjectiveSpec objective) {

    /**
     * Copies the collections.
     *
     * @param file see the record component of the same name
     * @param studyName see the record component of the same name
     * @param directions see the record component of the same name
     * @param storage see the record component of the same name
     * @param storageLine see the record component of the same name
     * @param nTrials see the record component of the same name
     * @param timeout see the record component of the same name
     * @param threads see the record component of the same name
     * @param sampler see the record component of the same name
     * @param pruner see the record component of the same name
     * @param space see the record component of the same name
     * @param objective see the record component of the same name
     */
    public StudySpec {
        directions = List.copyOf(directions);
        space = Collections.unmodifiableMap(new LinkedHashMap<>(space));
    }
}
