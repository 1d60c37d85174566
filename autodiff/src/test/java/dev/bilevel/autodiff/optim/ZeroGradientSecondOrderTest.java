package dev.bilevel.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Derivatives through an Adam (and RMSprop) step where some gradients are exactly zero, so that the
 * second moment is 0 and √v has an infinite derivative: first derivatives equal the closed form,
 * Hessian-vector products are finite and equal finite differences in the directions where the
 * step is smooth, and a naive √v, by contrast, gives NaN.
 */
class ZeroGradientSecondOrderTest {
    private static final int N = 6;
    /** Curvatures of the inner loss ½Σcᵢθᵢ²; θ₀ is 0 at coordinates 1 and 4, so their gradients are 0. */
    private static final double[] C = {1.0, 2.0, 0.5, 3.0, 1.5, 0.7};
    private static final Tensor THETA0 = Tensor.vector(0.3, 0.0, -0.8, 0.5, 0.0, 1.1);
    private static final Tensor A = Tensor.randn(new Rng(11), N, N).mul(0.4);
    private static final Tensor Y = Tensor.randn(new Rng(12), N);

    @Test
    void firstDerivativeOfOneAdamStepIsTheClosedForm() {
        double lr = 1e-3;
        double eps = 1e-8;
        Optimizer adam = Optimizers.adam(Schedule.constant(lr), 0.9, 0.999, eps, 0.0);
        Params like = Params.empty().with("g", Variable.constant(Tensor.zeros(N)));
        Tensor g0 = Tensor.vector(0.0, 0.25, -1.5, 0.0, 1e-3, 2.0);
        Variable jac = Autodiff.jacobian(g -> adam.update(like.with("g", g), adam.init(like), null)
                .updates().get("g"), Variable.constant(g0));
        // one step from zero moments: m̂ = g, v̂ = g², u = −η·g/(|g| + ε), du/dg = −η·ε/(|g| + ε)²
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double a = Math.abs(g0.get(i));
                double expected = i == j ? -lr * eps / ((a + eps) * (a + eps)) : 0.0;
                assertThat(jac.value().get(i, j)).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void adamHvpAtZeroGradientIsFiniteAndMatchesFiniteDifferencesAlongSmoothDirections() {
        Function<Variable, Variable> f = outerLoss(Optimizers.adam(1e-3));
        Variable theta = Variable.constant(THETA0);
        Variable generic = Autodiff.hvp(f, theta, Variable.constant(Tensor.randn(new Rng(3), N)));
        assertThat(generic.value().isFinite()).as("hvp in a direction through the zero coordinates").isTrue();

        // along directions that keep θ₁ = θ₄ = 0 the step is smooth: compare with differences of ∇F
        Tensor v = Tensor.randn(new Rng(4), N).mul(Tensor.vector(1, 0, 1, 1, 0, 1));
        Tensor hv = Autodiff.hvp(f, theta, Variable.constant(v)).value();
        double h = 1e-6;
        Tensor gPlus = Autodiff.grad(f, Variable.constant(THETA0.add(v.mul(h)))).value();
        Tensor gMinus = Autodiff.grad(f, Variable.constant(THETA0.sub(v.mul(h)))).value();
        Tensor numeric = gPlus.sub(gMinus).div(2 * h);
        double scale = numeric.abs().max().item();
        assertThat(hv.isFinite()).isTrue();
        assertThat(hv.maxAbsDiff(numeric)).as("hvp %s vs %s", hv, numeric).isLessThanOrEqualTo(1e-5 * scale);
    }

    @Test
    void rmspropHvpAtZeroGradientIsFinite() {
        Variable hv = Autodiff.hvp(outerLoss(Optimizers.rmsprop(1e-2)), Variable.constant(THETA0),
                Variable.constant(Tensor.randn(new Rng(5), N)));
        assertThat(hv.value().isFinite()).isTrue();
    }

    @Test
    void aNaiveSquareRootWouldGiveNaN() {
        // the same Adam step written with a plain √v̂: the guard above is what keeps it finite
        Function<Variable, Variable> naive = theta -> {
            Variable g = Autodiff.grad(innerLoss(theta), theta, true);
            Variable m = g.mul(0.1).div(0.1);
            Variable v = g.square().mul(0.001).div(0.001);
            return validation(theta.add(m.div(v.sqrt().add(1e-8)).mul(-1e-3)));
        };
        Variable hv = Autodiff.hvp(naive, Variable.constant(THETA0), Variable.constant(Tensor.ones(N)));
        assertThat(hv.value().isFinite()).isFalse();
    }

    @Test
    void adamStepPassesSecondOrderGradCheckAwayFromZero() {
        Tensor theta = Tensor.vector(0.3, -0.2, -0.8, 0.5, 0.4, 1.1);
        GradCheck.check(outerLoss(Optimizers.adam(0.05)), theta,
                new GradCheck.Options(2, 3, 1e-5, 1e-5, 1e-8, 9)).requirePassed();
    }

    /** F(θ) = L_val(θ + u(∇L_train(θ))) for one step of {@code opt} from its initial state. */
    private static Function<Variable, Variable> outerLoss(Optimizer opt) {
        return theta -> {
            Params p = Params.empty().with("theta", theta);
            Params g = Params.empty().with("theta", Autodiff.grad(innerLoss(theta), theta, true));
            Params u = opt.update(g, opt.init(p), p).updates();
            return validation(Optimizers.applyUpdates(p, u).get("theta"));
        };
    }

    private static Variable innerLoss(Variable theta) {
        return theta.square().mul(Variable.constant(Tensor.vector(C))).sum().mul(0.5);
    }

    private static Variable validation(Variable theta) {
        return Variable.constant(A).matmul(theta.reshape(N, 1)).flatten().sub(Variable.constant(Y)).square().sum()
                .mul(0.5);
    }
}
