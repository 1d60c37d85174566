package dev.bilevel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the CLI in-process and captures its streams. */
final class Cli {
    private Cli() {
    }

    /** The outcome of one command line. */
    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** An SQLite URL for a file in {@code dir}. */
    static String sqlite(Path dir, String file) {
        return "sqlite:///" + dir.resolve(file).toAbsolutePath();
    }
}
