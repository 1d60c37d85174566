package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documented choices at non-differentiable points, where finite differences cannot serve as an
 * oracle: the expected values follow from the conventions (ties split equally for max and
 * maximum/minimum, first element for max pooling, 0 at the kink of relu and abs).
 */
class SubgradientConventionsTest {

    @Test
    void maxReductionSplitsTiesEqually() {
        Variable x = Variable.leaf(Tensor.matrix(new double[][] {{1, 3, 3}, {5, 2, 5}}));
        Variable g = Autodiff.grad(x.max(new int[] {1}, false).sum(), x, false);
        assertThat(g.value().toArray()).containsExactly(0, 0.5, 0.5, 0.5, 0, 0.5);
        Variable all = Autodiff.grad(x.max(), x, false);
        assertThat(all.value().toArray()).containsExactly(0, 0, 0, 0.5, 0, 0.5);
    }

    @Test
    void maximumAndMinimumSplitTiesEqually() {
        Variable a = Variable.leaf(Tensor.vector(1, 2, 3));
        Variable b = Variable.leaf(Tensor.vector(1, 5, 0));
        List<Variable> g = Autodiff.grad(a.maximum(b).sum(), List.of(a, b), false, false);
        assertThat(g.get(0).value().toArray()).containsExactly(0.5, 0, 1);
        assertThat(g.get(1).value().toArray()).containsExactly(0.5, 1, 0);
        List<Variable> h = Autodiff.grad(a.minimum(b).sum(), List.of(a, b), false, false);
        assertThat(h.get(0).value().toArray()).containsExactly(0.5, 1, 0);
        assertThat(h.get(1).value().toArray()).containsExactly(0.5, 0, 1);
    }

    @Test
    void reluAndAbsUseZeroAtTheKink() {
        Variable x = Variable.leaf(Tensor.vector(-1, 0, 2));
        assertThat(Autodiff.grad(x.relu().sum(), x, false).value().toArray()).containsExactly(0, 0, 1);
        assertThat(Autodiff.grad(x.abs().sum(), x, false).value().toArray()).containsExactly(-1, 0, 1);
        assertThat(Autodiff.grad(x.leakyRelu(0.2).sum(), x, false).value().toArray()).containsExactly(0.2, 0.2, 1);
    }

    @Test
    void maxPoolingSendsTheGradientToTheFirstMaximum() {
        Variable x = Variable.leaf(Tensor.of(new double[] {7, 7, 1, 7}, 1, 1, 2, 2));
        Variable g = Autodiff.grad(VariableConvolutions.maxPool2d(x, 2, 2).sum(), x, false);
        assertThat(g.value().toArray()).containsExactly(1, 0, 0, 0);
    }

    @Test
    void powWithExponentsZeroAndOneStaysFiniteAtZero() {
        Variable x = Variable.leaf(Tensor.vector(0.0));
        Variable g1 = Autodiff.grad(x.pow(1.0).sum(), x, true);
        assertThat(g1.item()).isEqualTo(1.0);
        Variable g0 = Autodiff.grad(x.pow(0.0).sum(), x, true);
        assertThat(g0.item()).isZero();
        // d²/dx² x^2.5 = 3.75·x^0.5, which is 0 (and finite) at 0
        Variable h = Autodiff.grad(Autodiff.grad(x.pow(2.5).sum(), x, true).sum(), x, false);
        assertThat(h.item()).isZero();
    }
}
