package dev.bilevel.autodiff;

/**
 * Whether operations on this thread record graph nodes. Enabled by default on every thread.
 *
 * <p>An operation records a node (so that it can be differentiated) exactly when grad mode is
 * enabled on the calling thread <i>and</i> at least one of its inputs requires grad; otherwise its
 * result is a constant. Disable it for work that must never be differentiated, such as an outer
 * optimizer step or evaluation:
 *
 * <pre>{@code
 * try (ModeScope off = GradMode.disabled()) {
 *     Variable next = theta.sub(grad.mul(lr));   // a constant: no graph kept alive
 * }
 * }</pre>
 *
 * <p>The mode is thread-local, so tasks on other threads are unaffected.
 */
public final class GradMode {
    private GradMode() {}

    /** True when operations on this thread record nodes. */
    public static boolean isEnabled() {
        return ModeState.current().gradEnabled;
    }

    /** Disables recording on this thread until the returned scope is closed. */
    public static ModeScope disabled() {
        return new ModeScope(false, ModeState.current().anomaly);
    }

    /** Enables recording on this thread until the returned scope is closed (e.g. inside a disabled block). */
    public static ModeScope enabled() {
        return new ModeScope(true, ModeState.current().anomaly);
    }
}
