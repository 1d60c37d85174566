package dev.bilevel.autodiff;

/** The per-thread switches read by every recorded operation: one thread-local lookup per op. */
final class ModeState {
    private static final ThreadLocal<ModeState> CURRENT = ThreadLocal.withInitial(ModeState::new);

    boolean gradEnabled = true;
    boolean anomaly;
    /** Under anomaly mode, the primitive whose VJP is running (so a non-finite value is blamed on it), else null. */
    String vjpOf;

    static ModeState current() {
        return CURRENT.get();
    }
}
