package dev.bilevel.hypergrad;

/**
 * Thrown when an estimator meets a NaN or infinite value (in the inner solution, the outer
 * objective or the hypergradient itself) instead of returning it: a non-finite hypergradient fed
 * to an outer optimizer would silently destroy λ.
 */
public final class NonFiniteHypergradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** @param message where the non-finite value appeared */
    public NonFiniteHypergradientException(String message) {
        super(message);
    }
}
