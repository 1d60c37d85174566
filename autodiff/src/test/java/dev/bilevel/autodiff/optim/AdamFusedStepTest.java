package dev.bilevel.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Adam's fused step (taken when nothing is differentiated) against its recorded path (taken when
 * the learning rate is a leaf that requires gradients), which {@code OptimizerClosedFormTest}
 * checks against the textbook formulas: over several steps, with a coordinate whose gradient is
 * always exactly zero, the updates and moments must have the same bits.
 */
class AdamFusedStepTest {

    @ParameterizedTest(name = "weight decay {0}, epsRoot {1}")
    @CsvSource({"0, 0", "0, 1e-16", "0.01, 0", "0.01, 1e-16"})
    void fusedStepHasTheRecordedStepsBits(double weightDecay, double epsRoot) {
        Optimizer fused = new Adam(Schedule.constant(0.05), 0.9, 0.999, 1e-8, epsRoot, weightDecay);
        Optimizer recorded = new Adam(Schedule.constant(Variable.leaf(Tensor.scalar(0.05))), 0.9, 0.999, 1e-8,
                epsRoot, weightDecay);
        Rng rng = new Rng(5);
        Params theta = Params.empty()
                .with("w", Variable.constant(Tensor.randn(rng, 3, 4)))
                .with("b", Variable.constant(Tensor.randn(rng, 4)));
        Optimizer.State sf = fused.init(theta);
        Optimizer.State sr = recorded.init(theta);
        for (int step = 0; step < 5; step++) {
            double[] w = Tensor.randn(rng, 3, 4).toArray();
            w[0] = 0.0;
            Params grads = Params.empty()
                    .with("w", Variable.constant(Tensor.of(w, 3, 4)))
                    .with("b", Variable.constant(Tensor.randn(rng, 4)));
            Optimizer.Update uf = fused.update(grads, sf, theta);
            Optimizer.Update ur = recorded.update(grads, sr, theta);
            assertSameBits(uf.updates(), ur.updates());
            Adam.State af = (Adam.State) uf.state();
            Adam.State ar = (Adam.State) ur.state();
            assertThat(af.count()).isEqualTo(ar.count());
            assertSameBits(af.mu(), ar.mu());
            assertSameBits(af.nu(), ar.nu());
            sf = af;
            sr = ar;
            theta = Optimizers.applyUpdates(theta, uf.updates());
        }
    }

    private static void assertSameBits(Params a, Params b) {
        assertThat(a.names()).isEqualTo(b.names());
        for (String name : a.names()) {
            double[] x = a.get(name).value().toArray();
            double[] y = b.get(name).value().toArray();
            for (int i = 0; i < x.length; i++) {
                assertThat(Double.doubleToRawLongBits(x[i])).as(name + "[" + i + "]")
                        .isEqualTo(Double.doubleToRawLongBits(y[i]));
            }
        }
    }
}
