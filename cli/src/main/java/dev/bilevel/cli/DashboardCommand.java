package dev.bilevel.cli;

import dev.bilevel.dashboard.DashboardServer;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel dashboard}: serves the read-only web dashboard over a storage until interrupted.
 *
 * <p>Example: {@code ./bilevel dashboard --storage sqlite:///bilevel-quickstart.db}, then open
 * {@code http://127.0.0.1:8080/}. Databases written by Python Optuna open as they are.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve the read-only web dashboard (study list, plots, trial table, live updates).")
final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--storage", required = true,
            description = "Storage URL, e.g. sqlite:///path.db or postgresql://user@host:5432/db.")
    String storage;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080",
            description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("bilevel: --port must be between 0 and 65535, got " + port);
            return 2;
        }
        String missing = missingSqliteFile(storage);
        if (missing != null) {
            err.println("bilevel: no database at " + missing + " (the dashboard never creates one)");
            return 1;
        }
        JdbcStorage store;
        try {
            store = JdbcStorage.open(storage);
        } catch (RuntimeException e) {
            err.println("bilevel: cannot open storage " + storage + ": " + e.getMessage());
            return 1;
        }
        DashboardServer server;
        try {
            server = DashboardServer.start(store, host, port);
        } catch (IOException e) {
            store.close();
            err.println("bilevel: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }, "bilevel-dashboard-stop"));
        var out = spec.commandLine().getOut();
        out.println("Bilevel dashboard at " + server.uri() + " (read-only; Ctrl-C to stop)");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The path of a {@code sqlite:///} URL whose file does not exist, else null. */
    static String missingSqliteFile(String url) {
        String prefix = "sqlite:///";
        if (!url.startsWith(prefix)) {
            return null;
        }
        String path = url.substring(prefix.length());
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        Path p = Path.of(path);
        return Files.isRegularFile(p) ? null : p.toString();
    }
}
