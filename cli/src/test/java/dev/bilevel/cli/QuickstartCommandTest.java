package dev.bilevel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @TempDir
    Path dir;

    @Test
    void smallQuickstartChecksGradientsTunesPersistsAndReruns() {
        String url = "sqlite:///" + dir.resolve("qs.db");
        Run r = run("quickstart", "--trials", "3", "--iterations", "12", "--quiet", "--storage", url);
        Run again = run("quickstart", "--trials", "3", "--iterations", "12", "--quiet", "--storage", url);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(r.out()).contains("passed").contains("best trial #").contains("after 1 inner step(s)");
        assertThat(r.out()).doesNotContain("trials [");
        assertThat(r.out()).contains(" dashboard --storage " + url + System.lineSeparator());
        Run studies = run("studies", "--storage", url, "--format", "csv");
        assertThat(studies.out().lines().filter(l -> l.startsWith("quickstart-"))).hasSize(2)
                .allMatch(l -> l.contains(",3,"));
    }

    @Test
    void theDashboardCommandNamesAnAbsoluteDatabasePath() {
        assertThat(QuickstartCommand.absolute("sqlite:///bilevel-quickstart.db"))
                .isEqualTo("sqlite:///" + Path.of("bilevel-quickstart.db").toAbsolutePath());
        assertThat(QuickstartCommand.absolute("sqlite:////tmp/x.db")).isEqualTo("sqlite:////tmp/x.db");
    }

    @Test
    void invalidBudgetIsAUsageError() {
        Run r = run("quickstart", "--trials", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--trials must be >= 1");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run r = run("no-such-command");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no-such-command");
    }
}
