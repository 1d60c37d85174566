package dev.bilevel.autodiff.linalg;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * A linear map x ↦ A·x on flat vectors (rank-1 variables), given only by its matrix-vector
 * product, so that A is never formed: a Hessian-vector product, a Jacobian-vector product, the
 * matvec of a damped Gauss–Newton matrix. The solvers of this package ({@link ConjugateGradient},
 * {@link Cgls}, {@link NeumannSeries}) only call {@link #apply}.
 *
 * <p>Operators on named parameters ({@link Params}) are flattened with {@link #onParams}, in the
 * layout of {@link Params#flatten()}; unflatten a solution with {@link Params#unflatten(Variable)}.
 *
 * <pre>{@code
 * // (H + λI)·v for the Hessian H of loss at θ, on Params
 * LinearOperator a = LinearOperator.onParams(theta, v -> hvp(theta, v).zip(v, (h, w) -> h.add(w.mul(lambda))));
 * SolveResult r = ConjugateGradient.solve(a, rhs.flatten(), SolverOptions.defaults());
 * Params u = theta.unflatten(r.solution());
 * }</pre>
 *
 * <p>The product must be linear in x; the solvers do not check it. When it is written in
 * {@link Variable} operations and records, the solvers' results are differentiable.
 */
@FunctionalInterface
public interface LinearOperator {

    /**
     * A·x.
     *
     * @param x a vector of the operator's input size
     * @return a vector of its output size (equal to the input size for a square operator)
     */
    Variable apply(Variable x);

    /**
     * The operator x ↦ A·x of a matrix A of shape [m, n].
     *
     * @throws IllegalArgumentException unless A has rank 2; the operator throws, naming both shapes,
     *                                  when applied to anything but a vector of length n
     */
    static LinearOperator ofMatrix(Variable a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("ofMatrix: need a rank-2 matrix, got shape " + a.shape());
        }
        int n = a.shape().dim(1);
        return x -> {
            if (x.rank() != 1 || x.size() != n) {
                throw new IllegalArgumentException("ofMatrix: a matrix of shape " + a.shape()
                        + " cannot multiply a vector of shape " + x.shape());
            }
            return a.matmul(x.reshape(n, 1)).flatten();
        };
    }

    /** The operator of a constant matrix; see {@link #ofMatrix(Variable)}. */
    static LinearOperator ofMatrix(Tensor a) {
        return ofMatrix(Variable.constant(a));
    }

    /**
     * A map between parameter sets, seen as an operator on flat vectors: x ↦ flatten(f(unflatten(x))),
     * where unflatten follows the names and shapes of {@code like}.
     *
     * @param like   parameters whose names and shapes define the layout (their values are not read)
     * @param matvec the linear map on parameters; it must return the same names and shapes
     */
    static LinearOperator onParams(Params like, UnaryOperator<Params> matvec) {
        return x -> matvec.apply(like.unflatten(x)).flatten();
    }

    /**
     * The adjoint Aᵀ, obtained by reverse-mode differentiation of the matvec: for a linear map the
     * pullback at any point is u ↦ Aᵀu, so one forward evaluation at x = 0 serves every product.
     * Costs one backward pass of the matvec per product.
     *
     * @param inputSize n, the length of the vectors this operator takes
     * @return u ↦ Aᵀ·u, taking vectors of the output size and returning vectors of length n
     */
    default LinearOperator adjoint(int inputSize) {
        UnaryOperator<Variable> pullback = Autodiff.vjp(this::apply,
                Variable.constant(Tensor.zeros(inputSize))).pullback();
        return pullback::apply;
    }
}
