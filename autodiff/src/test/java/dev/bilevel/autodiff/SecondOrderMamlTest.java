package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The meta-gradient of a MAML step, L_Q(θ − α∇L_S(θ)), computed with a recorded inner gradient,
 * agrees with central differences of the whole meta-objective; the first-order approximation
 * (inner gradient detached) does not.
 */
class SecondOrderMamlTest {

    private static Variable mlp(Params p, Variable x, UnaryOperator<Variable> act) {
        Variable h = act.apply(x.matmul(p.get("w1")).add(p.get("b1")));
        h = act.apply(h.matmul(p.get("w2")).add(p.get("b2")));
        return h.matmul(p.get("w3")).add(p.get("b3"));
    }

    @ParameterizedTest
    @CsvSource({"tanh, 1", "tanh, 3", "softplus, 2"})
    void metaGradientMatchesFiniteDifferences(String activation, int innerSteps) {
        UnaryOperator<Variable> act = activation.equals("tanh") ? Variable::tanh : Variable::softplus;
        Rng rng = new Rng(innerSteps);
        Params shape = Params.empty()
                .with("w1", Variable.constant(Tensor.randn(rng, 1, 8)))
                .with("b1", Variable.constant(Tensor.randn(rng, 8).mul(0.1)))
                .with("w2", Variable.constant(Tensor.randn(rng, 8, 8).mul(0.5)))
                .with("b2", Variable.constant(Tensor.randn(rng, 8).mul(0.1)))
                .with("w3", Variable.constant(Tensor.randn(rng, 8, 1).mul(0.5)))
                .with("b3", Variable.constant(Tensor.zeros(1)));
        Variable xs = Variable.constant(Tensor.uniform(rng, -3, 3, 5, 1));
        Variable ys = Variable.constant(xs.value().sin());
        Variable xq = Variable.constant(Tensor.uniform(rng, -3, 3, 5, 1));
        Variable yq = Variable.constant(xq.value().sin());
        double alpha = 0.1;

        Function<Boolean, Function<Variable, Variable>> metaObjective = firstOrder -> flat -> {
            Params phi = shape.unflatten(flat);
            for (int k = 0; k < innerSteps; k++) {
                Variable ls = mlp(phi, xs, act).sub(ys).square().mean();
                Params g = Autodiff.grad(ls, phi, !firstOrder, false);
                phi = phi.zip(g, (p, d) -> p.sub(d.mul(alpha)));
            }
            return mlp(phi, xq, act).sub(yq).square().mean();
        };
        Tensor theta = shape.flattenValues();
        GradCheck.check(metaObjective.apply(false), theta,
                GradCheck.Options.defaults().withOrder(1).withTolerance(1e-6, 1e-9)).requirePassed();

        Variable exact = Autodiff.grad(metaObjective.apply(false), Variable.constant(theta));
        Variable firstOrder = Autodiff.grad(metaObjective.apply(true), Variable.constant(theta));
        double gap = exact.value().maxAbsDiff(firstOrder.value());
        assertThat(gap).isGreaterThan(1e-4 * exact.value().abs().max().item());
    }
}
