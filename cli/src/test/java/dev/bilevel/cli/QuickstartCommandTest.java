package dev.bilevel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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

    @Test
    void smallQuickstartChecksGradientsTunesAndReports() {
        Run r = run("quickstart", "--trials", "3", "--iterations", "12", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("passed").contains("best trial #").contains("after 1 inner step(s)");
        assertThat(r.out()).doesNotContain("trials [");
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
