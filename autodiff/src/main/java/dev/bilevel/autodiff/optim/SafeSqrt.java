package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * √x with a finite derivative at x = 0, for second moments that vanish with their gradient.
 *
 * <p>The derivative of √x is 1/(2√x), infinite at 0. In Adam the second moment is
 * v = β₂v' + (1 − β₂)g², so at an exactly-zero gradient (v' = 0) the chain rule multiplies
 * ∂√v/∂v = ∞ by ∂v/∂g = 2(1 − β₂)g = 0 and produces NaN, which poisons every second derivative.
 * Here entries equal to 0 go through the "double where" construction
 * {@code where(x = 0, 0, sqrt(where(x = 0, 1, x)))}: the value is exactly √x (0 at 0), and the
 * derivative at 0 is taken to be 0, the same subgradient convention as {@code relu} and {@code abs}
 * at 0. Other entries are untouched, so values and derivatives there are those of √x (and a
 * negative or NaN input still gives NaN, as it should).
 */
final class SafeSqrt {
    private static final Variable ONE = Variable.scalar(1.0);
    private static final Variable ZERO = Variable.scalar(0.0);

    private SafeSqrt() {}

    /** √x elementwise, with derivative 0 where x = 0. */
    static Variable of(Variable x) {
        Tensor zero = x.value().eq(Tensor.zeros(x.shape()));
        if (zero.sum().item() == 0) {
            return x.sqrt();
        }
        Variable safe = Variable.where(zero, ONE, x);
        return Variable.where(zero, ZERO, safe.sqrt());
    }
}
