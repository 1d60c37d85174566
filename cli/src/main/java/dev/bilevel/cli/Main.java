package dev.bilevel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bilevel} command. Run it through {@code ./bilevel} at the repository root, which
 * builds the project when needed and passes the JVM flags for the Vector API.
 *
 * <p>Exit codes: 0 success; 1 the command ran and failed (for example a gradient check that did
 * not pass, an invalid study spec, an unreachable storage); 2 invalid usage (unknown command or
 * option, bad argument value). A failure prints one line, {@code bilevel: <what went wrong>}, on
 * the error stream.
 */
@Command(
        name = "bilevel",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Bilevel optimization: hyperparameter optimization and gradient-based meta-learning.",
        subcommands = {
            CreateStudyCommand.class,
            DeleteStudyCommand.class,
            StudiesCommand.class,
            TrialsCommand.class,
            BestTrialCommand.class,
            AskCommand.class,
            TellCommand.class,
            OptimizeCommand.class,
            MetaTrainCommand.class,
            StorageCommand.class,
            DashboardCommand.class,
            PlotCommand.class,
            QuickstartCommand.class,
            CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the command failed (bad spec or storage, failed trials, ...)",
            "2:invalid usage"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (used by tests to run commands in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("bilevel: " + describe(e));
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** The message of an expected failure, or the exception itself for an unexpected one. */
    private static String describe(Exception e) {
        String message = e.getMessage();
        boolean expected = e instanceof CommandFailure || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof java.util.NoSuchElementException
                || e instanceof java.io.UncheckedIOException
                || e.getClass().getPackageName().startsWith("dev.bilevel.");
        return expected && message != null ? message : e.toString();
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
