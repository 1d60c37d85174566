package dev.bilevel.hypergrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Estimators of the same quantity computed differently must agree to rounding, on a short
 * inner run far from convergence (so that the answer depends on every step) and with optimizers
 * that carry state: forward mode equals reverse mode to rounding (different arithmetic, the same
 * derivative), and checkpointed unrolling equals full unrolling bit for bit (the same VJPs on
 * recomputed values, the per-step contributions to ∂/∂λ added in the same order).
 */
class ExactnessTest {

    static Stream<Optimizer> optimizers() {
        return Stream.of(Optimizers.sgd(0.1), Optimizers.momentum(0.1, 0.9), Optimizers.adam(0.05),
                Optimizers.nesterov(0.05, 0.5));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void forwardModeEqualsReverseMode(Optimizer opt) {
        BilevelProblem p = Quadratic.problem(opt, 13);
        double[] reverse = HypergradientMethod.unrolled().compute(p, Quadratic.lambda(), Quadratic.theta0()).flat().toArray();
        double[] forward = HypergradientMethod.forwardMode().compute(p, Quadratic.lambda(), Quadratic.theta0()).flat().toArray();
        for (int j = 0; j < reverse.length; j++) {
            assertThat(Math.abs(forward[j] - reverse[j])).isLessThanOrEqualTo(1e-13 * Math.max(1, Math.abs(reverse[j])));
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void checkpointedEqualsFullUnrolling(Optimizer opt) {
        BilevelProblem p = Quadratic.problem(opt, 17);
        Hypergradient full = HypergradientMethod.unrolled().compute(p, Quadratic.lambda(), Quadratic.theta0());
        for (int segment : new int[] {0, 1, 3, 17, 40}) {
            Hypergradient ck = new HypergradientMethod.Checkpointed(segment).compute(p, Quadratic.lambda(),
                    Quadratic.theta0());
            assertThat(ck.flat().toArray()).as("segment %d", segment).containsExactly(full.flat().toArray());
            assertThat(ck.outerValue()).isEqualTo(full.outerValue());
            assertThat(ck.innerSolution().flattenValues().toArray())
                    .containsExactly(full.innerSolution().flattenValues().toArray());
        }
    }

    /** Checkpointing keeps one segment's graph alive: √T of them instead of T. */
    @org.junit.jupiter.api.Test
    void checkpointingShrinksThePeakGraph() {
        BilevelProblem p = Quadratic.problem(Optimizers.momentum(0.05, 0.9), 100);
        long full = HypergradientMethod.unrolled().compute(p, Quadratic.lambda(), Quadratic.theta0())
                .diagnostics().peakGraphNodes();
        long ck = HypergradientMethod.checkpointed().compute(p, Quadratic.lambda(), Quadratic.theta0())
                .diagnostics().peakGraphNodes();
        assertThat(ck * 5).isLessThan(full);
    }
}
