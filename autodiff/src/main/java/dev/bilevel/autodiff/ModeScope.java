package dev.bilevel.autodiff;

/**
 * A block during which a thread-local mode ({@link GradMode}, {@link AnomalyMode}) has a given
 * value; {@link #close()} restores the value it had before. Scopes nest, and must be closed on the
 * thread that opened them, innermost first, as try-with-resources does:
 *
 * <pre>{@code
 * try (ModeScope off = GradMode.disabled()) {
 *     theta = theta.sub(step);   // recorded nowhere
 * }
 * }</pre>
 */
public final class ModeScope implements AutoCloseable {
    private final ModeState state;
    private final boolean previousGrad;
    private final boolean previousAnomaly;
    private boolean closed;

    ModeScope(boolean grad, boolean anomaly) {
        state = ModeState.current();
        previousGrad = state.gradEnabled;
        previousAnomaly = state.anomaly;
        state.gradEnabled = grad;
        state.anomaly = anomaly;
    }

    /** Restores the modes as they were when this scope opened; closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (ModeState.current() != state) {
            throw new IllegalStateException("a ModeScope must be closed on the thread that opened it");
        }
        closed = true;
        state.gradEnabled = previousGrad;
        state.anomaly = previousAnomaly;
    }
}
