package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link GradCheck} accepts correct derivatives and rejects wrong ones of either order. */
class GradCheckTest {
    private final Tensor x = Tensor.randn(new Rng(9), 3, 2);

    @Test
    void acceptsCorrectDerivatives() {
        GradCheck.Report r = GradCheck.check(v -> v.tanh().mul(v).exp(), x, GradCheck.Options.defaults());
        assertThat(r.passed()).isTrue();
        assertThat(r.entries()).hasSize(3 * 5);
        assertThat(r.maxRelError()).isLessThan(1e-6);
        GradCheck.assertGradients(v -> v.sin().sum(), x, 2);
    }

    @Test
    void rejectsAWrongFirstDerivative() {
        // value Σx², but the detached factor halves the gradient
        Function<Variable, Variable> wrong = v -> v.mul(v.detach()).sum();
        GradCheck.Report r = GradCheck.check(wrong, x, GradCheck.Options.defaults().withOrder(1));
        assertThat(r.passed()).isFalse();
        assertThatThrownBy(r::requirePassed).isInstanceOf(AssertionError.class)
                .hasMessageContaining("order 1, reverse mode");
    }

    @Test
    void rejectsAWrongSecondDerivativeWithACorrectFirst() {
        // value x·stop(x) + ½(x² − stop(x)²) = x², gradient stop(x) + x = 2x (right), Hessian 1 (wrong, 2)
        Function<Variable, Variable> wrong = v -> v.mul(v.detach())
                .add(v.square().sub(v.detach().square()).mul(0.5)).sum();
        assertThat(GradCheck.check(wrong, x, GradCheck.Options.defaults().withOrder(1)).passed()).isTrue();
        GradCheck.Report r = GradCheck.check(wrong, x, GradCheck.Options.defaults());
        assertThat(r.passed()).isFalse();
        assertThatThrownBy(r::requirePassed).hasMessageContaining("order 2: <w, H d> vs central difference");
    }

    @Test
    void checksThirdAndFourthOrders() {
        GradCheck.Report r = GradCheck.check(v -> v.tanh().mul(v.sin()).sum(), x,
                GradCheck.Options.defaults().withOrder(4).withTolerance(1e-4, 1e-5));
        r.requirePassed();
        assertThat(r.entries()).filteredOn(e -> e.check().startsWith("order 4")).hasSize(3);
    }

    @Test
    void rejectsAWrongThirdDerivativeWithCorrectLowerOrders() {
        // (x − stop(x))³ is 0 in value, first and second derivative, but its third derivative is 6:
        // Σ [x³ − (x − stop(x))³] / 6 has the value and first two derivatives of Σ x³/6, third 0 (not 1).
        Function<Variable, Variable> wrong = v -> v.pow(3.0).sub(v.sub(v.detach()).pow(3.0)).div(6.0).sum();
        assertThat(GradCheck.check(wrong, x, GradCheck.Options.defaults()).passed()).isTrue();
        GradCheck.Report r = GradCheck.check(wrong, x, GradCheck.Options.defaults().withOrder(3));
        assertThatThrownBy(r::requirePassed).hasMessageContaining("order 3");
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> GradCheck.Options.defaults().withOrder(5)).hasMessageContaining("order");
    }
}
