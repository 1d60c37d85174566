package dev.bilevel.cli;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.storage.Storage;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.NoSuchElementException;
import picocli.CommandLine.Option;

/**
 * The {@code --storage URL} option shared by the study commands. Default: the environment
 * variable {@code BILEVEL_STORAGE}, else {@value #DEFAULT_URL} (a file in the working directory).
 */
final class StorageOption {
    /** The storage used when neither {@code --storage} nor {@code BILEVEL_STORAGE} is given. */
    static final String DEFAULT_URL = "sqlite:///bilevel.db";

    @Option(names = "--storage", paramLabel = "URL",
            description = "Storage URL: sqlite:///relative.db, sqlite:////abs/path.db or "
                    + "postgresql://user@host:port/db (default: $BILEVEL_STORAGE, else " + DEFAULT_URL + ").")
    String url;

    /** Whether the user named a storage on the command line. */
    boolean given() {
        return url != null;
    }

    /** The URL in effect. */
    String resolved() {
        if (url != null) {
            return url;
        }
        String env = System.getenv("BILEVEL_STORAGE");
        return env == null || env.isBlank() ? DEFAULT_URL : env;
    }

    /** Opens the storage, turning any failure into a message that names the URL. */
    JdbcStorage open() {
        return open(resolved());
    }

    /** Opens {@code url}, turning any failure into a message that names it. */
    static JdbcStorage open(String url) {
        try {
            return JdbcStorage.open(url);
        } catch (RuntimeException e) {
            throw new CommandFailure("cannot open storage " + url + ": " + e.getMessage(), e);
        }
    }

    /** Loads a study by name, or fails with the names that exist. */
    static Study load(Storage storage, String name, String url) {
        try {
            return Study.builder().storage(storage).name(name).load();
        } catch (NoSuchElementException e) {
            throw new CommandFailure("no study named '" + name + "' in " + url + " (see `bilevel studies --storage "
                    + url + "`)");
        }
    }

    /**
     * The storage without its "running trial of this process" bookkeeping, for {@code ask}: the
     * asked trial must stay RUNNING after this process closes the storage, until {@code tell}.
     */
    static Storage detached(Storage storage) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("recordHeartbeat")) {
                        return null;
                    }
                    try {
                        return method.invoke(storage, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
