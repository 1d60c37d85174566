package dev.bilevel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void nonInteractiveOutputWritesOneLinePerQuarterAndTheEnd() {
        StringWriter sink = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sink), "trials", 8, false, false);
        for (int i = 1; i <= 8; i++) {
            bar.update(i, "best " + i);
        }

        String[] lines = sink.toString().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("trials [").contains(" 2/8 ").contains("best 2").contains("ETA");
        assertThat(lines[3]).contains("[" + "#".repeat(30) + "] 8/8").contains(" in ");
        assertThat(sink.toString()).doesNotContain("\r");
    }

    @Test
    void interactiveOutputRedrawsInPlace() {
        StringWriter sink = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sink), "steps", 2, false, true);
        bar.update(1, "");
        bar.update(2, "");

        assertThat(sink.toString()).startsWith("\rsteps [").endsWith(System.lineSeparator());
    }

    @Test
    void quietPrintsNothing() {
        StringWriter sink = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sink), "x", 3, true, false);
        for (int i = 0; i <= 3; i++) {
            bar.update(i, "");
        }

        assertThat(sink.toString()).isEmpty();
    }
}
