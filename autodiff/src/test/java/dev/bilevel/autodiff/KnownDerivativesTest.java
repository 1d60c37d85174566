package dev.bilevel.autodiff;

import static dev.bilevel.autodiff.PrimitiveGradientTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Derivatives of functions whose Jacobians and Hessians are known in closed form. */
class KnownDerivativesTest {

    /** f(x) = xᵀAx with A not symmetric: ∇f = (A + Aᵀ)x, ∇²f = A + Aᵀ. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void quadraticFormHasHessianAPlusATranspose(int seed) {
        Rng rng = new Rng(seed);
        int n = 2 + seed;
        Tensor a = Tensor.randn(rng, n, n);
        Tensor x = Tensor.randn(rng, n, 1);
        Variable av = Variable.constant(a);
        Function<Variable, Variable> f = v -> Variable.matmul(v, true, av.matmul(v), false).sum();

        Variable g = Autodiff.grad(f, Variable.constant(x));
        assertClose(g.value(), a.add(a.transpose()).matmul(x), 1e-12, 1e-12, "gradient");

        Variable h = Autodiff.hessian(f, Variable.constant(x));
        assertThat(h.shape().dims()).containsExactly(n, 1, n, 1);
        assertClose(h.value().reshape(n, n), a.add(a.transpose()), 1e-12, 1e-12, "Hessian");

        Tensor v = Tensor.randn(rng, n, 1);
        Variable hv = Autodiff.hvp(f, Variable.constant(x), Variable.constant(v));
        assertClose(hv.value(), a.add(a.transpose()).matmul(v), 1e-12, 1e-12, "hvp");
    }

    /** Rosenbrock f(x) = Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² with its closed-form gradient and tridiagonal Hessian. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void rosenbrockGradientAndHessianMatchClosedForm(int n) {
        Tensor x = Tensor.uniform(new Rng(n), -1.5, 1.5, n);
        Function<Variable, Variable> f = KnownDerivativesTest::rosenbrock;
        double[] xs = x.toArray();
        double[] grad = new double[n];
        double[][] hess = new double[n][n];
        for (int i = 0; i < n - 1; i++) {
            double r = xs[i + 1] - xs[i] * xs[i];
            grad[i] += -400 * xs[i] * r - 2 * (1 - xs[i]);
            grad[i + 1] += 200 * r;
            hess[i][i] += 1200 * xs[i] * xs[i] - 400 * xs[i + 1] + 2;
            hess[i + 1][i + 1] += 200;
            hess[i][i + 1] += -400 * xs[i];
            hess[i + 1][i] += -400 * xs[i];
        }
        Variable g = Autodiff.grad(f, Variable.constant(x));
        assertClose(g.value(), Tensor.vector(grad), 1e-12, 1e-10, "gradient");
        Variable h = Autodiff.hessian(f, Variable.constant(x));
        assertClose(h.value(), Tensor.matrix(hess), 1e-12, 1e-10, "Hessian");

        Tensor v = Tensor.randn(new Rng(n + 100), n);
        Variable hv = Autodiff.hvp(f, Variable.constant(x), Variable.constant(v));
        assertClose(hv.value(), Tensor.matrix(hess).matmul(v.reshape(n, 1)).reshape(n), 1e-12, 1e-9, "hvp");
    }

    static Variable rosenbrock(Variable x) {
        int n = x.size();
        Variable head = x.slice(0, 0, n - 1);
        Variable tail = x.slice(0, 1, n);
        return tail.sub(head.square()).square().mul(100.0).add(head.rsub(1.0).square()).sum();
    }

    @Test
    void jacobianOfLinearMapIsItsMatrix() {
        Rng rng = new Rng(5);
        Tensor a = Tensor.randn(rng, 4, 3);
        Variable av = Variable.constant(a);
        Variable j = Autodiff.jacobian(v -> av.matmul(v.reshape(3, 1)).reshape(4), Variable.constant(Tensor.randn(rng, 3)));
        assertThat(j.shape().dims()).containsExactly(4, 3);
        assertThat(j.value().maxAbsDiff(a)).isZero();
    }

    @Test
    void jacobianOfElementwiseFunctionIsDiagonal() {
        Tensor x = Tensor.vector(0.3, -1.2, 2.0);
        Variable j = Autodiff.jacobian(Variable::sin, Variable.constant(x));
        double[] c = x.cos().toArray();
        assertClose(j.value(), Tensor.matrix(new double[][] {{c[0], 0, 0}, {0, c[1], 0}, {0, 0, c[2]}}), 0, 0, "J");
    }

    @Test
    void jvpEqualsJacobianTimesDirection() {
        Rng rng = new Rng(6);
        Tensor a = Tensor.randn(rng, 4, 3);
        Variable av = Variable.constant(a);
        Function<Variable, Variable> f = v -> av.matmul(v.reshape(3, 1)).tanh().reshape(4);
        Variable x = Variable.constant(Tensor.randn(rng, 3));
        Variable v = Variable.constant(Tensor.randn(rng, 3));
        Jvp r = Autodiff.jvp(f, x, v);
        Variable j = Autodiff.jacobian(f, x);
        assertClose(r.tangent().value(), j.value().matmul(v.value().reshape(3, 1)).reshape(4), 1e-12, 1e-14, "jvp");
        assertClose(r.output().value(), f.apply(x).value(), 0, 0, "output");
        assertThat(r.tangent().requiresGrad()).isFalse();
    }

    @Test
    void vjpPullbackEqualsJacobianTransposeTimesCotangent() {
        Rng rng = new Rng(7);
        Function<Variable, Variable> f = v -> v.exp().mul(v.sum());
        Variable x = Variable.constant(Tensor.randn(rng, 3));
        Tensor u = Tensor.randn(rng, 3);
        Vjp r = Autodiff.vjp(f, x);
        Variable j = Autodiff.jacobian(f, x);
        assertClose(r.pullback().apply(Variable.constant(u)).value(),
                j.value().transpose().matmul(u.reshape(3, 1)).reshape(3), 1e-12, 1e-14, "pullback");
    }

    @Test
    void jvpAndVjpOfTheIdentityAreTheDirectionAndTheCotangent() {
        Variable x = Variable.constant(Tensor.vector(1, 2));
        Variable v = Variable.constant(Tensor.vector(3, -4));
        assertThat(Autodiff.jvp(z -> z, x, v).tangent().value().maxAbsDiff(v.value())).isZero();
        assertThat(Autodiff.vjp(z -> z, x).pullback().apply(v).value().maxAbsDiff(v.value())).isZero();
        assertThat(Autodiff.hvp(z -> z.sum(), x, v).value().maxAbsDiff(Tensor.zeros(2))).isZero();
    }

    @Test
    void valueAndGradFunctionFormReturnsBoth() {
        Function<Variable, ValueAndGrad<Variable>> vg = Autodiff.valueAndGrad(v -> v.exp().sum());
        ValueAndGrad<Variable> r = vg.apply(Variable.constant(Tensor.vector(0.0, 1.0)));
        assertThat(r.value().item()).isEqualTo(1 + Math.E);
        assertThat(r.grad().value().toArray()).containsExactly(1.0, Math.E);
        assertThat(r.value().requiresGrad()).isFalse();
    }

    @Test
    void hessianOfSumOfCubesIsDiagonalSixX() {
        Tensor x = Tensor.vector(1.0, -2.0, 0.5);
        Variable h = Autodiff.hessian(v -> v.pow(3.0).sum(), Variable.constant(x));
        assertClose(h.value(), Tensor.matrix(new double[][] {{6, 0, 0}, {0, -12, 0}, {0, 0, 3}}), 0, 1e-14, "H");
    }

    @Test
    void multiArgumentGradientOfBilinearForm() {
        Rng rng = new Rng(8);
        Tensor a = Tensor.randn(rng, 3, 1);
        Tensor b = Tensor.randn(rng, 3, 1);
        // f(a, b) = aᵀb: ∂f/∂a = b, ∂f/∂b = a.
        ValueAndGrad<List<Variable>> r = Autodiff.valueAndGrad(
                xs -> Variable.matmul(xs.get(0), true, xs.get(1), false).sum(),
                List.of(Variable.constant(a), Variable.constant(b)));
        assertThat(r.value().item()).isEqualTo(a.mul(b).sum().item(), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(r.grad().get(0).value().maxAbsDiff(b)).isZero();
        assertThat(r.grad().get(1).value().maxAbsDiff(a)).isZero();
    }

    @Test
    void hvpOverParamsEqualsTheBlockHessianTimesV() {
        // f(a, b) = Σ a²·b with a, b vectors: ∂²f/∂a² = diag(2b), ∂²f/∂a∂b = diag(2a), ∂²f/∂b² = 0.
        Tensor a = Tensor.vector(1.0, -2.0);
        Tensor b = Tensor.vector(0.5, 3.0);
        Tensor va = Tensor.vector(0.3, 0.7);
        Tensor vb = Tensor.vector(-1.0, 2.0);
        Params at = Params.empty().with("a", Variable.constant(a)).with("b", Variable.constant(b));
        Params v = Params.empty().with("a", Variable.constant(va)).with("b", Variable.constant(vb));
        Params hv = Autodiff.hvp(p -> p.get("a").square().mul(p.get("b")).sum(), at, v);
        assertClose(hv.get("a").value(), b.mul(va).mul(2.0).add(a.mul(vb).mul(2.0)), 1e-15, 0, "a");
        assertClose(hv.get("b").value(), a.mul(va).mul(2.0), 1e-15, 0, "b");
    }

    @Test
    void thirdDerivativeThroughNestedGrad() {
        // d³/dx³ sin x = −cos x, by three nested grads.
        Function<Variable, Variable> f = v -> v.sin().sum();
        Function<Variable, Variable> d3 = Autodiff.grad(v -> Autodiff.grad(v2 -> Autodiff.grad(f, v2).sum(), v).sum());
        Variable x = Variable.constant(Tensor.vector(0.7));
        assertThat(d3.apply(x).value().getFlat(0)).isEqualTo(-Math.cos(0.7), org.assertj.core.data.Offset.offset(1e-15));
    }
}
