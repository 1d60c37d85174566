package dev.bilevel.cli;

import dev.bilevel.storage.jdbc.JdbcStorage;
import dev.bilevel.storage.jdbc.SchemaUpgrade;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bilevel storage}: maintenance of a storage's database. {@code bilevel storage upgrade
 * --storage URL} brings a database written by an older Optuna 3.x to the schema revision Bilevel
 * and Optuna 3.2 to 5.0 write, or says that it is current.
 */
@Command(name = "storage", mixinStandardHelpOptions = true,
        description = "Storage maintenance.",
        subcommands = {StorageCommand.Upgrade.class})
final class StorageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bilevel storage upgrade}. */
    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Upgrade the database schema to the current revision (or report that it is current).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:upgraded or already current",
                "1:a revision that needs Python Optuna's upgrade first, or the storage failed", "2:invalid usage"})
    static final class Upgrade implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StorageOption storage;

        @Override
        public Integer call() {
            String url = storage.resolved();
            SchemaUpgrade u;
            try {
                u = JdbcStorage.upgrade(url);
            } catch (RuntimeException e) {
                throw new CommandFailure("cannot upgrade " + url + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println(!u.upgraded() ? url + " is at the current revision " + u.toRevision()
                    : u.fromRevision().isEmpty() ? url + " had no tables: created at revision " + u.toRevision()
                    : url + " upgraded from revision " + u.fromRevision() + " to " + u.toRevision());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
