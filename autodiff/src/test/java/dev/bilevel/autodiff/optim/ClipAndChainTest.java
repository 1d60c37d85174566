package dev.bilevel.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clipping by global norm and chaining, against closed forms. */
class ClipAndChainTest {
    private static final Params LIKE = Params.empty()
            .with("w", Variable.constant(Tensor.zeros(3, 2)))
            .with("b", Variable.constant(Tensor.zeros(2)));

    @Test
    void globalNormIsTheNormOfTheFlatVector() {
        Params g = grads(new Rng(1), 1.0);
        double[] flat = g.flattenValues().toArray();
        double sum = 0;
        for (double x : flat) {
            sum += x * x;
        }
        assertThat(Optimizers.globalNorm(g).item()).isCloseTo(Math.sqrt(sum),
                org.assertj.core.data.Offset.offset(1e-14));
        Variable zero = Variable.leaf(Tensor.zeros(4));
        Variable d = Autodiff.grad(Optimizers.globalNorm(Params.empty().with("z", zero)), zero, false);
        assertThat(d.value().isFinite()).as("derivative of the norm at 0").isTrue();
    }

    @Test
    void clipScalesOnlyAboveTheThreshold() {
        Optimizer clip = Optimizers.clipByGlobalNorm(1.0);
        Params small = grads(new Rng(2), 0.1);
        Params large = grads(new Rng(3), 10.0);
        double norm = Optimizers.globalNorm(large).item();
        assertThat(norm).isGreaterThan(1.0);
        Params clippedSmall = clip.update(small, clip.init(LIKE), null).updates();
        Params clippedLarge = clip.update(large, clip.init(LIKE), null).updates();
        assertThat(clippedSmall.flattenValues().maxAbsDiff(small.flattenValues())).isZero();
        assertThat(clippedLarge.flattenValues().maxAbsDiff(large.flattenValues().div(norm)))
                .isLessThanOrEqualTo(1e-15);
        assertThat(Optimizers.globalNorm(clippedLarge).item()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-14));
    }

    @Test
    void clipIsDifferentiableToSecondOrder() {
        Optimizer clip = Optimizers.clipByGlobalNorm(0.5);
        Params one = Params.empty().with("g", Variable.constant(Tensor.zeros(5)));
        GradCheck.check(g -> clip.update(one.with("g", g), clip.init(one), null).updates().get("g").sin().sum(),
                Tensor.randn(new Rng(4), 5), new GradCheck.Options(2, 3, 1e-5, 1e-6, 1e-9, 4)).requirePassed();
    }

    @Test
    void chainOrderMatters() {
        // ‖g‖ = 0.8, c = 1, η = 2: clip-then-scale leaves g and steps −2g (norm 1.6);
        // scale-then-clip steps −2g clipped to norm 1, i.e. −g/0.8
        Params g = LIKE.unflatten(Tensor.vector(0.8, 0, 0, 0, 0, 0, 0, 0));
        Optimizer clipFirst = Optimizers.chain(Optimizers.clipByGlobalNorm(1.0), Optimizers.sgd(2.0));
        Optimizer clipLast = Optimizers.chain(Optimizers.sgd(2.0), Optimizers.clipByGlobalNorm(1.0));
        assertThat(clipFirst.update(g, clipFirst.init(LIKE), LIKE).updates().flattenValues().get(0))
                .isEqualTo(-1.6);
        assertThat(clipLast.update(g, clipLast.init(LIKE), LIKE).updates().flattenValues().get(0))
                .isCloseTo(-1.0, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void chainedAdamEqualsAdamOnClippedGradientsOverSeveralSteps() {
        Optimizer chained = Optimizers.chain(Optimizers.clipByGlobalNorm(0.5), Optimizers.adam(1e-2));
        Optimizer adam = Optimizers.adam(1e-2);
        Optimizer.State cs = chained.init(LIKE);
        Optimizer.State as = adam.init(LIKE);
        Rng rng = new Rng(7);
        for (int k = 0; k < 5; k++) {
            Params g = grads(rng, 2.0);
            double norm = Optimizers.globalNorm(g).item();
            Params clipped = norm > 0.5 ? g.map(v -> v.mul(0.5 / norm)) : g;
            Optimizer.Update cu = chained.update(g, cs, LIKE);
            Optimizer.Update au = adam.update(clipped, as, LIKE);
            assertThat(cu.updates().flattenValues().maxAbsDiff(au.updates().flattenValues()))
                    .isLessThanOrEqualTo(1e-15);
            cs = cu.state();
            as = au.state();
        }
        List<Optimizer.State> links = ((Chain.State) cs).states();
        assertThat(links).hasSize(2);
        assertThat(((Adam.State) links.get(1)).count()).isEqualTo(5);
    }

    private static Params grads(Rng rng, double scale) {
        return LIKE.unflatten(Tensor.randn(rng, LIKE.numel()).mul(scale));
    }
}
