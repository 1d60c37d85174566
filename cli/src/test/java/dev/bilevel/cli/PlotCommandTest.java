package dev.bilevel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PlotCommandTest {
    @TempDir Path dir;
    private String url;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void copyFixture() throws Exception {
        Path db = dir.resolve("optuna.db");
        Files.copy(Path.of("../storage-jdbc/src/test/resources/fixtures/optuna-5.0.0.db"), db);
        url = "sqlite:///" + db;
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void writesPngSvgAndHtmlOfAnOptunaStudy() throws Exception {
        Path png = dir.resolve("h.png");
        assertThat(run("plot", "--storage", url, "--study", "fixture", "--kind", "history",
                "--out", png.toString(), "--width", "500", "--height", "300")).isEqualTo(0);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(500);
        assertThat(img.getHeight()).isEqualTo(300);
        Path svg = dir.resolve("s.svg");
        assertThat(run("plot", "--storage", url, "--study", "fixture", "--kind", "slice",
                "--params", "x", "--out", svg.toString())).isEqualTo(0);
        assertThat(Files.readString(svg)).contains("<svg").contains("Slice: x");
        Path html = dir.resolve("p.html");
        assertThat(run("plot", "--storage", url, "--study", "fixture-mo", "--kind", "pareto",
                "--out", html.toString())).isEqualTo(0);
        assertThat(Files.readString(html)).contains("echarts.init(").contains("Pareto front");
    }

    @Test
    void badInputFailsWithAMessage() {
        assertThat(run("plot", "--storage", url, "--study", "fixture", "--kind", "pie",
                "--out", dir.resolve("a.png").toString())).isEqualTo(2);
        assertThat(run("plot", "--storage", url, "--study", "fixture", "--kind", "history",
                "--out", dir.resolve("a.gif").toString())).isEqualTo(2);
        assertThat(run("plot", "--storage", url, "--study", "fixture", "--kind", "pareto",
                "--out", dir.resolve("a.png").toString())).isEqualTo(1);
        assertThat(run("plot", "--storage", "sqlite:///" + dir.resolve("none.db"), "--study", "s",
                "--kind", "history", "--out", dir.resolve("a.png").toString())).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("none.db"))).isFalse();
        assertThat(err.toString()).contains("Unknown plot kind").contains("2 objectives")
                .contains("no database at");
    }

    @Test
    void dashboardRefusesAMissingDatabase() {
        assertThat(run("dashboard", "--storage", "sqlite:///" + dir.resolve("none.db"), "--port", "0"))
                .isEqualTo(1);
        assertThat(Files.exists(dir.resolve("none.db"))).isFalse();
    }
}
