package dev.bilevel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch (or JAX) twin of a benchmark ({@code bench/python/NAME.py}) as a child process
 * and returns its summary line, so that both sides are measured on the same machine in the same run.
 *
 * <p>The interpreter is the one named by {@code --python PATH}; by default {@code /usr/bin/python3}
 * when it can import torch; the JAX twin's ({@link #forJax}) is {@code --jax-python PATH}, by
 * default {@code python3} when it can import jax. When there is none, {@link Result#note()} says
 * why and the caller reports the comparison as skipped.
 *
 * @param python the interpreter, or null to probe the default
 */
record PythonTwin(String python) {
    private static final String DEFAULT_PYTHON = "/usr/bin/python3";
    /** Stands for "no interpreter with jax was found" in {@link #forJax}. */
    private static final String JAX_MISSING = "";

    /**
     * The outcome: the parsed summary line (its {@code summary} flag removed, since in the caller's
     * output it is not the last line), or null with a note.
     *
     * @param summary the twin's last JSON line, or null
     * @param note    why there is no summary, or null
     */
    record Result(JsonNode summary, String note) {}

    /** The value of {@code --python} in {@code args}, or null; other options are left to the caller. */
    static PythonTwin fromArgs(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--python")) {
                return new PythonTwin(args[i + 1]);
            }
        }
        return new PythonTwin(null);
    }

    /**
     * The JAX twin's interpreter: the value of {@code --jax-python PATH} in {@code args}, else
     * {@code python3} from the PATH when it imports jax, else null (see {@link #run}).
     */
    static PythonTwin forJax(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--jax-python")) {
                return new PythonTwin(args[i + 1]);
            }
        }
        return new PythonTwin(imports("python3", "jax") ? "python3" : JAX_MISSING);
    }

    /** True when {@code --no-python} is among {@code args}. */
    static boolean disabled(String[] args) {
        for (String a : args) {
            if (a.equals("--no-python")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code bench/python/script} with {@code scriptArgs} and parses its last line.
     *
     * @param script     file name under {@code bench/python}
     * @param scriptArgs arguments for the script
     * @param timeoutSec how long to wait
     */
    Result run(String script, List<String> scriptArgs, long timeoutSec) {
        String exe = python;
        if (JAX_MISSING.equals(exe)) {
            return new Result(null, "python3 with jax not found (python3 -m pip install jax jaxlib); pass --jax-python PATH");
        }
        if (exe == null) {
            if (!new File(DEFAULT_PYTHON).canExecute() || !imports(DEFAULT_PYTHON, "torch")) {
                return new Result(null, DEFAULT_PYTHON + " with torch not found; pass --python PATH");
            }
            exe = DEFAULT_PYTHON;
        }
        File file = new File("bench/python", script);
        if (!file.isFile()) {
            return new Result(null, "script " + file + " not found (run from the repository root)");
        }
        List<String> cmd = new ArrayList<>(List.of(exe, file.getPath()));
        cmd.addAll(scriptArgs);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        last = line;
                    }
                }
            }
            if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(null, script + " timed out after " + timeoutSec + " s");
            }
            if (p.exitValue() != 0 || last == null) {
                return new Result(null, script + " exited with status " + p.exitValue());
            }
            JsonNode summary = new ObjectMapper().readTree(last);
            if (summary instanceof ObjectNode o) {
                o.remove("summary");
            }
            return new Result(summary, null);
        } catch (Exception e) {
            return new Result(null, script + " failed: " + e.getMessage());
        }
    }

    private static boolean imports(String exe, String module) {
        try {
            Process p = new ProcessBuilder(exe, "-c", "import " + module).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
