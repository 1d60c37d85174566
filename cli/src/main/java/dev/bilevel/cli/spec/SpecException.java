package dev.bilevel.cli.spec;

import java.nio.file.Path;

/**
 * A study spec that cannot be used, with the file and line of the offending entry: {@code
 * study.yaml:12: parameter 'lr': low (1.0) must not exceed high (0.1)}.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The spec file. */
    private final transient Path file;
    /** The 1-based line, or 0 when unknown. */
    private final int line;

    /**
     * Creates the exception.
     *
     * @param file the spec file
     * @param line the 1-based line of the entry, 0 if unknown
     * @param message what is wrong, without the location
     */
    public SpecException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /**
     * The spec file.
     *
     * @return the path as given
     */
    public Path file() {
        return file;
    }

    /**
     * The line of the offending entry.
     *
     * @return 1-based, 0 if unknown
     */
    public int line() {
        return line;
    }
}
