package dev.bilevel.cli.objective;

/**
 * An external objective that did not produce a usable result (crashed, timed out, printed no
 * number). The trial becomes FAIL with this message as its reason.
 */
public final class ObjectiveFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what went wrong, for the trial's fail reason
     */
    public ObjectiveFailure(String message) {
        super(message);
    }

    /** The message alone: it becomes the trial's fail reason. */
    @Override
    public String toString() {
        return getMessage();
    }
}
