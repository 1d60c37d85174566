package dev.bilevel.bench;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One worker process of {@code storage-throughput}: opens the storage and loads the study, prints
 * {@code READY}, waits for a line on standard input, runs its trials of a trivial objective, and
 * prints {@code DONE}. Start-up (JVM, pool, schema check) is thus outside the timed section.
 */
public final class StorageBenchWorker {

    private StorageBenchWorker() {
    }

    /**
     * Runs the worker.
     *
     * @param args {@code URL STUDY N_TRIALS}
     * @throws Exception on any failure (non-zero exit status)
     */
    public static void main(String[] args) throws Exception {
        try (JdbcStorage storage = JdbcStorage.builder(args[0]).poolSize(2).open()) {
            Study study = Study.builder().storage(storage).name(args[1])
                    .sampler(new RandomSampler(ProcessHandle.current().pid())).load();
            int n = Integer.parseInt(args[2]);
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            study.optimize(trial -> {
                double x = trial.suggestFloat("x", -10, 10);
                return x * x;
            }, n);
            System.out.println("DONE");
            System.out.flush();
        }
    }
}
