package dev.bilevel.autodiff;

/**
 * Optional detection of non-finite values (NaN, ±∞), off by default. While enabled on a thread,
 * every forward operation checks its result, and every backward pass checks each cotangent a VJP
 * produces; the first non-finite value raises a {@link NonFiniteValueException} naming the
 * primitive and the phase. Checking costs one pass over each result, so enable it to debug:
 *
 * <pre>{@code
 * try (ModeScope debug = AnomalyMode.enabled()) {
 *     Variable loss = model(x);                    // throws at the first op that yields NaN
 *     Autodiff.grad(loss, List.of(w), false, false);
 * }
 * }</pre>
 */
public final class AnomalyMode {
    private AnomalyMode() {}

    /** True when non-finite detection is on for this thread. */
    public static boolean isEnabled() {
        return ModeState.current().anomaly;
    }

    /** Turns detection on for this thread until the returned scope is closed. */
    public static ModeScope enabled() {
        return new ModeScope(ModeState.current().gradEnabled, true);
    }

    /** Turns detection off for this thread until the returned scope is closed. */
    public static ModeScope disabled() {
        return new ModeScope(ModeState.current().gradEnabled, false);
    }
}
