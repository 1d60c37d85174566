package dev.bilevel.autodiff;

/** The per-thread switches read by every recorded operation: one thread-local lookup per op. */
final class ModeState {
    private static final ThreadLocal<ModeState> CURRENT = ThreadLocal.withInitial(ModeState::new);

    boolean gradEnabled = true;
    boolean anomaly;

    static ModeState current() {
        return CURRENT.get();
    }
}
