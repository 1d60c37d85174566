package dev.bilevel.cli;

/**
 * A command that ran and failed for a reason the user can act on (a missing study, an
 * unreachable storage, trials that all failed). {@link Main} prints its message and exits with 1.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what went wrong and, where possible, what to do
     */
    public CommandFailure(String message) {
        super(message);
    }

    /**
     * Creates the failure with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying exception
     */
    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
