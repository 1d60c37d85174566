package dev.bilevel.cli.objective;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bilevel.cli.spec.ObjectiveSpec;
import dev.bilevel.hpo.MultiObjective;
import dev.bilevel.hpo.Trial;
import dev.bilevel.hpo.TrialPrunedException;
import dev.bilevel.hpo.distributions.Distribution;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates a trial by running an external command (W&amp;B sweeps' and Hydra's convention): the
 * space's parameters are suggested first, then the command runs with {@code {name}} placeholders
 * replaced, each element one argument and no shell unless asked (so a value can never inject a
 * command). The environment carries {@code BILEVEL_TRIAL_NUMBER} and {@code BILEVEL_STUDY_NAME}
 * (and {@code BILEVEL_PARAM_<NAME>} with {@code params_as: env}); {@code json-stdin} writes the
 * parameters as one JSON object to standard input.
 *
 * <p>Standard output is read as it comes (see {@link CommandOutput}): intermediate values are
 * reported to the trial and, when the pruner says so, the process and all its descendants are
 * killed and the trial is PRUNED. Past the per-trial timeout the process tree is killed and the
 * trial FAILs; a non-zero exit or an unusable output FAILs it too. The tail of standard error
 * (at most {@value #STDERR_TAIL} characters) is stored in the trial's user attribute {@value
 * #STDERR_ATTR}.
 */
public final class CommandObjective implements MultiObjective {
    /** The trial user attribute holding the tail of standard error. */
    public static final String STDERR_ATTR = "stderr_tail";
    /** The most characters of standard error kept. */
    public static final int STDERR_TAIL = 2000;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.\\-]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EOF = new String("<eof>");
    /** Lines read ahead of the trial thread; a command that floods stdout waits (back-pressure). */
    private static final int MAX_PENDING_LINES = 10_000;

    private final ObjectiveSpec.Command spec;
    private final Map<String, Distribution> space;
    private final int nObjectives;
    private final String studyName;

    /**
     * Creates the objective.
     *
     * @param spec the command and how to run it
     * @param space the parameters to suggest, in order
     * @param nObjectives values expected from the command
     * @param studyName passed to the command as {@code BILEVEL_STUDY_NAME}
     */
    public CommandObjective(ObjectiveSpec.Command spec, Map<String, Distribution> space, int nObjectives,
            String studyName) {
        this.spec = spec;
        this.space = new LinkedHashMap<>(space);
        this.nObjectives = nObjectives;
        this.studyName = studyName;
    }

    @Override
    public double[] evaluate(Trial trial) throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        space.forEach((name, d) -> params.put(name, trial.suggest(name, d)));
        ProcessBuilder pb = new ProcessBuilder(argv(params)).directory(spec.workingDir().toFile());
        pb.environment().put("BILEVEL_TRIAL_NUMBER", Integer.toString(trial.number()));
        pb.environment().put("BILEVEL_STUDY_NAME", studyName);
        if (spec.paramsAs() == ObjectiveSpec.ParamsAs.ENV) {
            params.forEach((k, v) -> pb.environment().put(
                    "BILEVEL_PARAM_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), text(v)));
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ObjectiveFailure("cannot start " + pb.command().get(0) + ": " + e.getMessage());
        }
        StringBuilder stderr = new StringBuilder();
        Thread errReader = drain(process.getErrorStream(), stderr);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>(MAX_PENDING_LINES);
        Thread outReader = lines(process.getInputStream(), lines);
        try (OutputStream stdin = process.getOutputStream()) {
            if (spec.paramsAs() == ObjectiveSpec.ParamsAs.JSON_STDIN) {
                stdin.write((JSON.writeValueAsString(params) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command exited without reading its input; its exit status tells the story.
        }
        try {
            return run(trial, process, lines, stderr, errReader);
        } finally {
            killTree(process);
            lines.clear();
            outReader.interrupt();
            outReader.join(1000);
            errReader.join(1000);
            String tail;
            synchronized (stderr) {
                tail = stderr.toString();
            }
            if (!tail.isBlank()) {
                trial.setUserAttr(STDERR_ATTR, tail);
            }
        }
    }

    private double[] run(Trial trial, Process process, BlockingQueue<String> lines, StringBuilder stderr,
                         Thread errReader) throws Exception {
        long deadline = spec.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + spec.timeout().toNanos();
        CommandOutput output = new CommandOutput();
        while (true) {
            String line = lines.poll(Math.max(0, Math.min(deadline - System.nanoTime(), Long.MAX_VALUE / 2)),
                    TimeUnit.NANOSECONDS);
            if (line == null) {
                killTree(process);
                throw new ObjectiveFailure("the command timed out after " + format(spec.timeout()) + " and was killed");
            }
            if (line == EOF) {
                break;
            }
            CommandOutput.Intermediate im = output.accept(line);
            if (im != null) {
                trial.report(im.value(), im.step());
                if (trial.shouldPrune()) {
                    killTree(process);
                    throw new TrialPrunedException("pruned at step " + im.step());
                }
            }
        }
        long left = deadline - System.nanoTime();
        if (!process.waitFor(Math.max(0, Math.min(left, Long.MAX_VALUE / 2)), TimeUnit.NANOSECONDS)) {
            killTree(process);
            throw new ObjectiveFailure("the command timed out after " + format(spec.timeout()) + " and was killed");
        }
        if (process.exitValue() != 0) {
            // The process has exited, so its stderr reaches end-of-stream: wait for the reader
            // to take the last line before quoting it.
            errReader.join(1000);
            String last;
            synchronized (stderr) {
                String[] errLines = stderr.toString().strip().split("\n");
                last = errLines[errLines.length - 1];
            }
            throw new ObjectiveFailure("the command exited with code " + process.exitValue()
                    + (last.isBlank() ? "" : "; stderr: " + last));
        }
        return output.result(nObjectives);
    }

    /** The command line with placeholders replaced (shell-quoted with {@code shell: true}). */
    List<String> argv(Map<String, Object> params) {
        if (spec.shell()) {
            String line = substitute(String.join(" ", spec.command()), params, true);
            return List.of("/bin/sh", "-c", line);
        }
        List<String> out = new ArrayList<>();
        for (String arg : spec.command()) {
            out.add(substitute(arg, params, false));
        }
        return out;
    }

    private static String substitute(String arg, Map<String, Object> params, boolean quote) {
        Matcher m = PLACEHOLDER.matcher(arg);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = params.containsKey(m.group(1)) ? text(params.get(m.group(1))) : m.group();
            if (quote && params.containsKey(m.group(1))) {
                v = "'" + v.replace("'", "'\\''") + "'";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String text(Object v) {
        return String.valueOf(v);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Kills the process and every descendant (descendants first, before they are re-parented). */
    static void killTree(Process process) {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread lines(InputStream in, BlockingQueue<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.put(line);
                }
            } catch (IOException e) {
                // The process was killed: the stream is gone.
            } catch (InterruptedException e) {
                return;
            }
            try {
                sink.put(EOF);
            } catch (InterruptedException e) {
                // The trial is over and nobody reads any more.
            }
        }, "bilevel-objective-stdout");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread drain(InputStream in, StringBuilder tail) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (tail) {
                        tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (tail.length() > STDERR_TAIL) {
                            tail.delete(0, tail.length() - STDERR_TAIL);
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed: the stream is gone.
            }
        }, "bilevel-objective-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
