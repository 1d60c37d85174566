package dev.bilevel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./bench.sh storage-throughput}: trials per second of {@code Study.optimize} with a trivial
 * objective (one float, random sampler) when 1, 4 and 8 worker processes share one study on an
 * SQLite file and on PostgreSQL, next to Optuna 5.0 with one worker on SQLite
 * ({@code bench/python/optuna_storage.py}) in the same run. Workers are started and connected
 * before the clock starts; the figure is total trials over the time until the last worker is done.
 *
 * <p>Options: {@code --trials N} per configuration (default 1000), {@code --workers 1,4,8},
 * {@code --optuna-trials N} (default 200), {@code --no-postgres} (otherwise a throw-away server is
 * started by {@code storage-jdbc/src/test/scripts/postgres.sh}), {@code --python PATH} (default
 * {@code python3}), {@code --no-python}.
 *
 * <p>Target (issue 4): single-worker SQLite throughput at least 10× Optuna's.
 */
final class StorageThroughputBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StorageThroughputBench() {
    }

    static void run(String[] args, PrintStream out) throws Exception {
        int trials = 1000;
        int optunaTrials = 200;
        List<Integer> workers = List.of(1, 4, 8);
        boolean postgres = true;
        boolean python = true;
        String pythonExe = "python3";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--optuna-trials" -> optunaTrials = Integer.parseInt(args[++i]);
                case "--workers" -> workers = parseList(args[++i]);
                case "--no-postgres" -> postgres = false;
                case "--python" -> pythonExe = args[++i];
                case "--no-python" -> python = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --trials, --workers, --optuna-trials, --no-postgres, --python, --no-python)");
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (int w : workers) {
            Path dir = Files.createTempDirectory("bench-sqlite");
            double rate = measure("sqlite:///" + dir.resolve("study.db"), w, trials);
            rates.put("sqlite_" + w, rate);
            out.println(line("sqlite", w, trials, rate));
        }
        String pgNote = null;
        if (postgres) {
            Path pgDir = Files.createTempDirectory("bench-pg");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process start = new ProcessBuilder("storage-jdbc/src/test/scripts/postgres.sh", "start",
                    pgDir.toString(), Integer.toString(port)).redirectErrorStream(true).start();
            String startLog = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (start.waitFor() != 0) {
                pgNote = "PostgreSQL could not be started: " + startLog.strip();
            } else {
                try {
                    String base = "postgresql://postgres@127.0.0.1:" + port + "/bilevel";
                    for (int w : workers) {
                        String url = base + "?currentSchema=" + schema(port, "w" + w);
                        double rate = measure(url, w, trials);
                        rates.put("postgresql_" + w, rate);
                        out.println(line("postgresql", w, trials, rate));
                    }
                } finally {
                    new ProcessBuilder("storage-jdbc/src/test/scripts/postgres.sh", "stop",
                            pgDir.toString()).inheritIO().start().waitFor();
                }
            }
        }
        Double optuna = null;
        String optunaNote = null;
        if (python) {
            PythonTwin.Result r = new PythonTwin(pythonExe).run("optuna_storage.py",
                    List.of("--trials", Integer.toString(optunaTrials), "--repeats", "1"), 1800);
            if (r.summary() != null) {
                optuna = r.summary().get("trials_per_s").asDouble();
                ObjectNode o = (ObjectNode) r.summary();
                o.put("benchmark", "storage-throughput");
                out.println(JSON.writeValueAsString(o));
            } else {
                optunaNote = r.note();
            }
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.put("benchmark", "storage-throughput");
        summary.put("summary", true);
        summary.put("trials", trials);
        rates.forEach((k, v) -> summary.put(k + "_trials_per_s", round(v)));
        if (pgNote != null) {
            summary.put("postgresql", pgNote);
        }
        if (optuna != null) {
            summary.put("optuna_sqlite_1_trials_per_s", round(optuna));
            Double sqlite1 = rates.get("sqlite_1");
            if (sqlite1 != null) {
                double ratio = sqlite1 / optuna;
                summary.put("sqlite_1_vs_optuna", round(ratio));
                summary.put("target", ">= 10x Optuna single-worker SQLite");
                summary.put("target_met", ratio >= 10);
            }
        } else if (optunaNote != null) {
            summary.put("optuna", "skipped: " + optunaNote);
        }
        out.println(JSON.writeValueAsString(summary));
    }

    private static List<Integer> parseList(String s) {
        List<Integer> out = new ArrayList<>();
        for (String p : s.split(",")) {
            out.add(Integer.parseInt(p.trim()));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String schema(int port, String name) throws Exception {
        String schema = name + "_" + System.nanoTime();
        try (var c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/bilevel", "postgres", "");
             var s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    private static String line(String backend, int workers, int trials, double rate) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("benchmark", "storage-throughput");
        o.put("impl", "bilevel");
        o.put("backend", backend);
        o.put("workers", workers);
        o.put("trials", trials);
        o.put("trials_per_s", round(rate));
        return JSON.writeValueAsString(o);
    }

    /** Runs {@code trials} trials split over {@code w} worker processes; returns trials per second. */
    private static double measure(String url, int w, int trials) throws Exception {
        long studyId;
        try (JdbcStorage storage = JdbcStorage.open(url)) {
            studyId = storage.createNewStudy(List.of(StudyDirection.MINIMIZE), "bench");
        }
        List<Process> procs = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        for (int i = 0; i < w; i++) {
            int n = trials / w + (i < trials % w ? 1 : 0);
            Process p = new ProcessBuilder(
                    System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    StorageBenchWorker.class.getName(), url, "bench", Integer.toString(n))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            procs.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader r : outs) {
            expect(r, "READY");
        }
        long t0 = System.nanoTime();
        for (Process p : procs) {
            Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            in.write("GO\n");
            in.flush();
        }
        for (BufferedReader r : outs) {
            expect(r, "DONE");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Process p : procs) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("a storage worker failed");
            }
        }
        try (JdbcStorage storage = JdbcStorage.open(url)) {
            int done = storage.getNTrials(studyId, EnumSet.of(TrialState.COMPLETE));
            if (done != trials) {
                throw new IllegalStateException("expected " + trials + " COMPLETE trials, found " + done);
            }
        }
        return trials / seconds;
    }

    private static void expect(BufferedReader r, String word) throws IOException {
        String line = r.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("worker said " + line + ", expected " + word);
        }
    }

}
