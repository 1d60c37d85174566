package dev.bilevel.autodiff.linalg;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Shape;

/** The inner products and checks the solvers share, in differentiable operations. */
final class Vectors {
    private Vectors() {}

    /** xᵀy as a rank-0 variable. */
    static Variable dot(Variable x, Variable y) {
        return x.mul(y).sum();
    }

    /** ‖x‖₂ of the value, without recording. */
    static double norm(Variable x) {
        double s = 0;
        for (double v : x.value().toArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** @throws IllegalArgumentException unless {@code b} is a vector */
    static void requireVector(String solver, String what, Variable b) {
        if (b.rank() != 1) {
            throw new IllegalArgumentException(solver + ": " + what + " must be a vector (rank 1), got shape "
                    + b.shape());
        }
    }

    /** A·x, checked to be a vector of shape {@code expected}. */
    static Variable apply(String solver, LinearOperator a, Variable x, Shape expected) {
        Variable y = a.apply(x);
        if (!y.shape().equals(expected)) {
            throw new IllegalArgumentException(solver + ": the operator maps shape " + x.shape() + " to "
                    + y.shape() + ", expected " + expected);
        }
        return y;
    }
}
