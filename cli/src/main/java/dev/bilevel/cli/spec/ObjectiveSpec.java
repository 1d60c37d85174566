package dev.bilevel.cli.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code bilevel optimize} evaluates: a Java class or an external command.
 */
public sealed interface ObjectiveSpec {

    /**
     * A class on the classpath implementing {@link dev.bilevel.hpo.Objective} (single objective)
     * or {@link dev.bilevel.hpo.MultiObjective}, with a public no-argument constructor.
     *
     * @param type the loaded class
     */
    record JavaClass(Class<?> type) implements ObjectiveSpec {
    }

    /**
     * An external command run once per trial, without a shell unless {@code shell}: each element
     * is one argument, {@code {name}} placeholders replaced by parameter values.
     *
     * @param command the program and its arguments (with {@code shell}: one shell command line)
     * @param paramsAs how parameters reach the program besides placeholders
     * @param timeout per-trial limit, or {@code null} for none
     * @param shell run through {@code /bin/sh -c}, values shell-quoted
     * @param workingDir the directory the command runs in
     */
    record Command(List<String> command, ParamsAs paramsAs, Duration timeout, boolean shell, Path workingDir)
            implements ObjectiveSpec {
        /**
         * Copies the command.
         *
         * @param command see the record component of the same name
         * @param paramsAs see the record component of the same name
         * @param timeout see the record component of the same name
         * @param shell see the record component of the same name
         * @param workingDir see the record component of the same name
         */
        public Command {
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the command is empty");
            }
        }
    }

    /** How an external command receives the trial's parameters. */
    enum ParamsAs {
        /** Only through {@code {name}} placeholders in the arguments. */
        ARGS,
        /** Also as environment variables {@code BILEVEL_PARAM_<NAME>} (name upper-cased). */
        ENV,
        /** Also as one JSON object on standard input. */
        JSON_STDIN
    }
}
