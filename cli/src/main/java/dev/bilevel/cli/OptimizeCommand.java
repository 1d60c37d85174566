package dev.bilevel.cli;

import dev.bilevel.cli.objective.CommandObjective;
import dev.bilevel.cli.spec.ObjectiveSpec;
import dev.bilevel.cli.spec.SpecException;
import dev.bilevel.cli.spec.SpecParser;
import dev.bilevel.cli.spec.StudySpec;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.MultiObjective;
import dev.bilevel.hpo.Objective;
import dev.bilevel.hpo.OptimizeOptions;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel optimize --spec study.yaml}: runs the study a YAML spec describes (see {@link
 * SpecParser} for the format) against a persistent storage, with a progress bar.
 *
 * <pre>{@code
 * bilevel optimize --spec study.yaml --storage sqlite:///runs.db
 * bilevel optimize --spec study.yaml --json --quiet | jq .best
 * }</pre>
 *
 * The study is created, or loaded and extended when it exists. A trial that fails (an exception,
 * a crashing or silent command) is stored as FAIL with its reason and the run goes on; the
 * command fails only when no trial of this run completed.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Run the study described by a YAML spec (search space, sampler, pruner, objective).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run finished and at least one trial completed (or none failed)",
            "1:invalid spec (file:line given), unreachable storage, or every trial failed", "2:invalid usage"})
final class OptimizeCommand implements Callable<Integer> {
    /** Kept strongly reachable so that its level holds: the CLI prints trial failures itself. */
    private static final Logger STUDY_LOG = Logger.getLogger(Study.class.getName());

    @Spec
    CommandSpec spec;

    @Mixin
    StorageOption storage;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The study spec (YAML).")
    Path specFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-trial messages.")
    boolean quiet;

    @Option(names = "--json", description = "Print the result as one JSON object (implies no progress bar).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        STUDY_LOG.setLevel(Level.OFF);
        StudySpec s = SpecParser.parse(specFile);
        String url = storage.given() || s.storage() == null ? storage.resolved() : s.storage();
        JdbcStorage db;
        try {
            db = JdbcStorage.builder(url).closeOnShutdown(true).open();
        } catch (RuntimeException e) {
            String msg = "cannot open storage " + url + ": " + e.getMessage();
            throw storage.given() || s.storage() == null ? new CommandFailure(msg, e)
                    : new SpecException(s.file(), s.storageLine(), msg);
        }
        try (db) {
            Study study = Study.builder().storage(db).name(s.studyName())
                    .directions(s.directions().toArray(StudyDirection[]::new))
                    .sampler(s.sampler().create(s.space())).pruner(s.pruner().create()).createOrLoad();
            if (!study.directions().equals(s.directions())) {
                throw new CommandFailure("study '" + s.studyName() + "' in " + url + " has directions "
                        + study.directions() + " but " + s.file() + " asks for " + s.directions());
            }
            return run(study, s, url);
        }
    }

    private int run(Study study, StudySpec s, String url) throws ReflectiveOperationException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MultiObjective objective = objective(s, study.studyName());
        boolean showProgress = !quiet && !json;
        ProgressBar bar = s.nTrials() == null ? null
                : new ProgressBar(out, "trials", s.nTrials(), !showProgress);
        List<FrozenTrial> finished = new ArrayList<>();
        long start = System.nanoTime();
        OptimizeOptions options = new OptimizeOptions(s.nTrials(), s.timeout(), s.threads(),
                Set.of(Exception.class), List.of((st, trial) -> {
                    synchronized (finished) {
                        finished.add(trial);
                        if (trial.state() == TrialState.FAIL && !json) {
                            err.printf("trial %d failed: %s%n", trial.number(),
                                    trial.systemAttrs().get(Study.FAIL_REASON_KEY));
                            err.flush();
                        }
                        if (bar != null) {
                            bar.update(finished.size(), best(finished, s.directions()));
                        } else if (showProgress) {
                            out.printf("trial %d %s  %s%n", trial.number(), trial.state(), best(finished, s.directions()));
                            out.flush();
                        }
                    }
                }));
        study.optimizeMulti(objective, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        long complete = count(finished, TrialState.COMPLETE);
        long pruned = count(finished, TrialState.PRUNED);
        long failed = count(finished, TrialState.FAIL);
        List<FrozenTrial> best = study.trials(TrialState.COMPLETE).isEmpty() ? List.of()
                : study.isMultiObjective() ? study.bestTrials() : List.of(study.bestTrial());
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("study", study.studyName());
            result.put("storage", url);
            result.put("trials", finished.size());
            result.put("complete", complete);
            result.put("pruned", pruned);
            result.put("failed", failed);
            result.put("seconds", Math.round(seconds * 1000) / 1000.0);
            result.put("best", best.stream().map(t -> Listing.trialRow(t, false)).toList());
            out.println(Listing.json(result));
        } else {
            out.printf("study '%s' in %s: %d trials in %.1f s (%d complete, %d pruned, %d failed)%n",
                    study.studyName(), url, finished.size(), seconds, complete, pruned, failed);
            for (FrozenTrial t : best) {
                out.printf("best trial #%d: %s with %s%n", t.number(),
                        t.values().size() == 1 ? t.values().get(0) : t.values(), t.params());
            }
        }
        out.flush();
        if (complete == 0 && failed > 0) {
            err.printf("bilevel: no trial of this run completed; %d failed (see the reasons above, or "
                    + "`bilevel trials --study-name %s --format json`)%n", failed, study.studyName());
            err.flush();
            return 1;
        }
        return 0;
    }

    private static MultiObjective objective(StudySpec s, String studyName) throws ReflectiveOperationException {
        if (s.objective() instanceof ObjectiveSpec.Command c) {
            return new CommandObjective(c, s.space(), s.directions().size(), studyName);
        }
        Object instance = ((ObjectiveSpec.JavaClass) s.objective()).type().getConstructor().newInstance();
        if (instance instanceof Objective single) {
            return trial -> new double[] {single.evaluate(trial)};
        }
        return (MultiObjective) instance;
    }

    private static long count(List<FrozenTrial> trials, TrialState state) {
        return trials.stream().filter(t -> t.state() == state).count();
    }

    private static String best(List<FrozenTrial> trials, List<StudyDirection> directions) {
        if (directions.size() != 1) {
            return count(trials, TrialState.COMPLETE) + " complete";
        }
        Double best = null;
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE && (best == null || directions.get(0).isBetter(t.value(), best))) {
                best = t.value();
            }
        }
        return best == null ? "best -" : String.format("best %.6g", best);
    }
}
