package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused block's two VJP paths give the same first derivatives: the one-pass kernels (backward
 * not recorded) and the recorded operations (backward recorded, for gradients of gradients); and
 * both agree with the same block written as separate operations, also when the recorded pass
 * needs the cotangent of one input only.
 */
class BatchNormReluPoolPathsTest {

    @ParameterizedTest(name = "n {0}, statRows {1}")
    @CsvSource({"4,4", "5,2", "3,1"})
    void keptAndRecordedBackwardPassesAgreeWithSeparateOperations(int n, int k) {
        Rng rng = new Rng(n * 10L + k);
        Variable h = Variable.leaf(Tensor.randn(rng, n, 3, 6, 6));
        Variable gamma = Variable.leaf(Tensor.randn(rng, 3));
        Variable beta = Variable.leaf(Tensor.randn(rng, 3));
        Tensor w = Tensor.randn(rng, n, 3, 3, 3);
        List<Variable> inputs = List.of(h, gamma, beta);
        Variable fused = VariableConvolutions.batchNormReluPool(h, gamma, beta, k, 2, 1e-5).mul(Variable.constant(w)).sum();
        List<Variable> fast = Autodiff.grad(fused, inputs, false, false);
        List<Variable> recorded = Autodiff.grad(fused, inputs, true, false);
        List<Variable> separate = Autodiff.grad(separate(h, gamma, beta, k).mul(Variable.constant(w)).sum(), inputs,
                false, false);
        for (int i = 0; i < 3; i++) {
            double scale = 1 + fast.get(i).value().abs().max().item();
            assertThat(fast.get(i).requiresGrad()).isFalse();
            assertThat(recorded.get(i).requiresGrad()).isEqualTo(i < 2);      // ∂/∂β = Σ w·[out > 0] is constant
            assertThat(recorded.get(i).value().maxAbsDiff(fast.get(i).value())).isLessThan(1e-12 * scale);
            assertThat(separate.get(i).value().maxAbsDiff(fast.get(i).value())).isLessThan(1e-12 * scale);
        }
    }

    @ParameterizedTest(name = "only input {0}")
    @CsvSource({"0", "1", "2"})
    void aRecordedBackwardPassForOneInputGivesThatInputsCotangent(int only) {
        Rng rng = new Rng(40 + only);
        Variable h = Variable.leaf(Tensor.randn(rng, 5, 3, 6, 6));
        Variable gamma = Variable.leaf(Tensor.randn(rng, 3));
        Variable beta = Variable.leaf(Tensor.randn(rng, 3));
        Tensor w = Tensor.randn(rng, 5, 3, 3, 3);
        List<Variable> all = List.of(h, gamma, beta);
        Variable fused = VariableConvolutions.batchNormReluPool(h, gamma, beta, 2, 2, 1e-5).mul(Variable.constant(w)).sum();
        Variable one = Autodiff.grad(fused, List.of(all.get(only)), true, false).get(0);
        Variable separate = Autodiff.grad(separate(h, gamma, beta, 2).mul(Variable.constant(w)).sum(), all, false,
                false).get(only);
        double scale = 1 + separate.value().abs().max().item();
        assertThat(one.value().maxAbsDiff(separate.value())).isLessThan(1e-12 * scale);
    }

    private static Variable separate(Variable h, Variable gamma, Variable beta, int k) {
        int[] axes = {0, 2, 3};
        Variable stats = h.slice(0, 0, k);
        Variable mu = stats.mean(axes, true);
        Variable sd = stats.sub(mu).square().mean(axes, true).add(1e-5).sqrt();
        return VariableConvolutions.maxPool2d(
                h.sub(mu).div(sd).mul(gamma.reshape(1, 3, 1, 1)).add(beta.reshape(1, 3, 1, 1)).relu(), 2, 2);
    }
}
