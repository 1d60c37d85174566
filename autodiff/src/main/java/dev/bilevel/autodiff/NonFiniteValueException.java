package dev.bilevel.autodiff;

/**
 * Thrown under {@link AnomalyMode} when a primitive produces a NaN or infinite value, in its forward
 * computation or in its VJP during a backward pass.
 */
public final class NonFiniteValueException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final String primitive;
    private final boolean backward;

    NonFiniteValueException(String primitive, boolean backward, String detail) {
        super((backward ? "backward (VJP) of '" : "forward of '") + primitive + "' produced a non-finite value"
                + (detail.isEmpty() ? "" : ": " + detail));
        this.primitive = primitive;
        this.backward = backward;
    }

    /** The name of the primitive that produced the value, e.g. {@code "log"}. */
    public String primitive() {
        return primitive;
    }

    /** True when the value came from a VJP during a backward pass, false from a forward computation. */
    public boolean backward() {
        return backward;
    }
}
