package dev.bilevel.cli;

import static dev.bilevel.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageUpgradeCommandTest {
    /** A database written by Optuna 3.1 (alembic v3.0.0.d), from the storage module's fixtures. */
    private static final Path OPTUNA_31 = Path.of("../storage-jdbc/src/test/resources/fixtures/optuna-3.1.0.db");

    @TempDir
    Path dir;

    @Test
    void upgradesAnOptuna31DatabaseThenReportsItCurrent() throws Exception {
        Path db = dir.resolve("old.db");
        Files.copy(OPTUNA_31, db);
        String url = "sqlite:///" + db;
        assertThat(revision(db)).isEqualTo("v3.0.0.d");

        Cli.Run first = run("storage", "upgrade", "--storage", url);
        Cli.Run second = run("storage", "upgrade", "--storage", url);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("upgraded from revision v3.0.0.d to v3.2.0.a");
        assertThat(revision(db)).isEqualTo("v3.2.0.a");
        assertThat(second.out()).contains("is at the current revision v3.2.0.a");
        Cli.Run studies = run("studies", "--storage", url, "--format", "csv");
        assertThat(studies.exitCode()).isZero();
        assertThat(studies.out().split("\n").length).isGreaterThan(1);
    }

    @Test
    void aPreOptuna3RevisionIsRefusedWithWhatToDo() throws Exception {
        Path db = dir.resolve("ancient.db");
        String url = "sqlite:///" + db;
        assertThat(run("storage", "upgrade", "--storage", url).out()).contains("created at revision v3.2.0.a");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE alembic_version SET version_num = 'v2.4.0.a'");
        }

        Cli.Run r = run("storage", "upgrade", "--storage", url);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("v2.4.0.a").contains("optuna storage upgrade");
        assertThat(revision(db)).isEqualTo("v2.4.0.a");
    }

    private static String revision(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
