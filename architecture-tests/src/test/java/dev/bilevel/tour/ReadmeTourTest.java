package dev.bilevel.tour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.StudyDirection;
import dev.bilevel.hpo.pruners.HyperbandPruner;
import dev.bilevel.hpo.samplers.TpeSampler;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The code of README.md's API tour, run as written (with small data), so the tour cannot drift
 * from the API. Each snippet's result is checked against a closed form.
 */
class ReadmeTourTest {

    @Test
    void tensorSnippetComputesTheTransposedProduct() {
        Tensor x = Tensor.randn(new Rng(42), 256, 784);
        Tensor w = Tensor.randn(new Rng(7), 10, 784);
        Tensor logits = Tensor.matmul(x, false, w, true);

        assertThat(logits.shape().dims()).containsExactly(256, 10);
        assertThat(logits.maxAbsDiff(x.matmul(w.transpose()))).isLessThan(1e-9);
    }

    @Test
    void autodiffSnippetGivesTheClosedFormGradientAndHvp() {
        Function<Variable, Variable> f = v -> v.sin().mul(v).sum();
        Variable x = Variable.leaf(Tensor.vector(0.1, 0.2, 0.3));
        Variable g = Autodiff.grad(f, x);
        Variable hv = Autodiff.hvp(f, x, Variable.constant(Tensor.ones(3)));
        GradCheck.check(f, x.value(), GradCheck.Options.defaults().withOrder(2)).requirePassed();

        for (int i = 0; i < 3; i++) {
            double xi = 0.1 * (i + 1);
            // d/dx (x sin x) = sin x + x cos x; d²/dx² = 2 cos x − x sin x; the Hessian is diagonal.
            assertThat(g.value().getFlat(i)).isCloseTo(Math.sin(xi) + xi * Math.cos(xi), within(1e-14));
            assertThat(hv.value().getFlat(i)).isCloseTo(2 * Math.cos(xi) - xi * Math.sin(xi), within(1e-14));
        }
    }

    @Test
    void mamlAndOptimizerSnippetsRun() {
        Rng rng = new Rng(3);
        Variable xs = Variable.constant(Tensor.uniform(rng, -5, 5, 10, 1));
        Variable ys = xs.sin();
        Variable xq = Variable.constant(Tensor.uniform(rng, -5, 5, 10, 1));
        Variable yq = xq.sin();
        int steps = 2;
        double alpha = 0.01;

        Mlp net = Mlp.of(1, 40, 40, 1).activation(Activation.RELU);
        Params theta = net.init(new Rng(0)).leaves();
        Params phi = theta;
        for (int s = 0; s < steps; s++) {
            Variable support = Losses.mse(net.apply(phi, xs), ys);
            Params g = Autodiff.grad(support, phi, /* createGraph */ true, false);
            phi = phi.zip(g, (p, gi) -> p.sub(gi.mul(alpha)));
        }
        Params metaGrad = Autodiff.grad(Losses.mse(net.apply(phi, xq), yq), theta, false, false);

        Optimizer adam = Optimizers.chain(Optimizers.clipByGlobalNorm(1.0), Optimizers.adam(1e-3));
        Optimizer.State state = adam.init(theta);
        Optimizer.Update u = adam.update(metaGrad, state, theta);
        Params before = theta;
        theta = Optimizers.applyUpdates(theta, u.updates()).leaves();

        // Adam's first step moves every coordinate with a non-zero gradient by about the learning rate.
        Tensor moved = theta.flattenValues().sub(before.flattenValues()).abs();
        Tensor grad = metaGrad.flattenValues().abs();
        for (int i = 0; i < moved.size(); i++) {
            if (grad.getFlat(i) > 1e-6) {
                assertThat(moved.getFlat(i)).isCloseTo(1e-3, within(1e-4));
            }
        }
    }

    @Test
    void hpoSnippetFindsTheMinimumOfItsObjective() {
        Study study = Study.builder()
                .directions(StudyDirection.MINIMIZE)
                .sampler(TpeSampler.builder().seed(0).build())
                .pruner(new HyperbandPruner())
                .create();
        study.optimize(trial -> {
            double lr = trial.suggestFloat("lr", 1e-4, 1e-1, true);
            int layers = trial.suggestInt("layers", 1, 4);
            String act = trial.suggestCategorical("activation", "relu", "tanh");
            return train(lr, layers, act);
        }, 40);
        FrozenTrial best = study.bestTrial();

        assertThat(best.params()).containsKeys("lr", "layers", "activation");
        assertThat(best.value()).isEqualTo(
                study.trials().stream().mapToDouble(FrozenTrial::value).min().orElseThrow());
    }

    /** A stand-in training run whose loss is smallest at lr = 1e-2, 2 layers, tanh. */
    private static double train(double lr, int layers, String activation) {
        double d = Math.log10(lr) + 2;
        return d * d + Math.abs(layers - 2) + (activation.equals("tanh") ? 0 : 0.5);
    }

    private static org.assertj.core.data.Offset<Double> within(double tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }
}
