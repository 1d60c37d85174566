package dev.bilevel.cli;

import dev.bilevel.dashboard.plot.ChartRenderer;
import dev.bilevel.dashboard.plot.HtmlPage;
import dev.bilevel.dashboard.plot.PlotData;
import dev.bilevel.dashboard.plot.PlotKind;
import dev.bilevel.dashboard.plot.StudyPlots;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.storage.jdbc.JdbcStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel plot}: draws one plot of a stored study to a PNG, SVG or self-contained HTML file
 * (chosen by the extension of {@code --out}).
 *
 * <p>Example: {@code ./bilevel plot --storage sqlite:///q.db --study s --kind history --out h.png}.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw a study plot to a PNG, SVG or HTML file.")
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--storage", required = true, description = "Storage URL, e.g. sqlite:///path.db.")
    String storage;

    @Option(names = "--study", required = true, description = "Study name.")
    String study;

    @Option(names = "--kind", required = true,
            description = "history, intermediate, parallel, contour, slice, importance, edf, pareto or timeline.")
    String kind;

    @Option(names = "--out", required = true, description = "Output file: .png, .svg or .html.")
    Path out;

    @Option(names = "--params", split = ",",
            description = "Parameters: one for slice, two (x,y) for contour (default: the first by name).")
    List<String> params = List.of();

    @Option(names = "--objective", defaultValue = "0", description = "Objective index (default ${DEFAULT-VALUE}).")
    int objective;

    @Option(names = "--width", defaultValue = "1000", description = "Width in pixels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "600", description = "Height in pixels (default ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() throws IOException {
        var err = spec.commandLine().getErr();
        PlotKind plotKind;
        try {
            plotKind = PlotKind.parse(kind.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("bilevel: " + e.getMessage());
            return 2;
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : name.endsWith(".svg") ? "svg"
                : name.endsWith(".html") || name.endsWith(".htm") ? "html" : null;
        if (format == null) {
            err.println("bilevel: --out must end in .png, .svg or .html: " + out);
            return 2;
        }
        if (width < 50 || height < 50 || width > 20000 || height > 20000) {
            err.println("bilevel: --width and --height must be between 50 and 20000");
            return 2;
        }
        String missing = DashboardCommand.missingSqliteFile(storage);
        if (missing != null) {
            err.println("bilevel: no database at " + missing);
            return 1;
        }
        PlotData data;
        try (JdbcStorage store = JdbcStorage.open(storage)) {
            long id = store.getStudyIdFromName(study);
            List<StudyDirection> directions = store.getStudyDirections(id);
            if (objective < 0 || objective >= directions.size()) {
                err.println("bilevel: --objective must be below " + directions.size());
                return 2;
            }
            List<FrozenTrial> trials = store.getAllTrials(id, null);
            List<String> known = StudyPlots.paramNames(trials);
            for (String p : params) {
                if (!known.contains(p)) {
                    err.println("bilevel: study '" + study + "' has no parameter '" + p + "'; it has " + known);
                    return 1;
                }
            }
            data = StudyPlots.of(plotKind, trials, directions, params, objective);
        } catch (RuntimeException e) {
            err.println("bilevel: " + e.getMessage());
            return 1;
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream o = Files.newOutputStream(out)) {
            switch (format) {
                case "png" -> ChartRenderer.writePng(data, width, height, o);
                case "svg" -> ChartRenderer.writeSvg(data, width, height, o);
                default -> HtmlPage.write(data, width, height, o);
            }
        }
        spec.commandLine().getOut().println("Wrote " + out);
        return 0;
    }
}
