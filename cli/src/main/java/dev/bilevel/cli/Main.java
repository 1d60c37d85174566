package dev.bilevel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bilevel} command. Run it through {@code ./bilevel} at the repository root, which
 * builds the project when needed and passes the JVM flags for the Vector API.
 *
 * <p>Exit codes: 0 success; 1 the command ran and failed (for example a gradient check that did
 * not pass); 2 invalid usage (unknown command or option, bad argument value).
 */
@Command(
        name = "bilevel",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Bilevel optimization: hyperparameter optimization and gradient-based meta-learning.",
        subcommands = {QuickstartCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the command failed", "2:invalid usage"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (used by tests to run commands in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the project version and the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "bilevel " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
            };
        }
    }
}
