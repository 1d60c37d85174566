package dev.bilevel.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Each schedule against its closed form at steps 0…40, and its derivative with respect to η₀. */
class ScheduleTest {
    private static final double ETA0 = 0.2;

    @Test
    void constant() {
        assertMatches(Schedule.constant(ETA0), t -> ETA0);
    }

    @Test
    void stepDecay() {
        assertMatches(Schedule.stepDecay(Variable.scalar(ETA0), 0.5, 10), t -> ETA0 * Math.pow(0.5, t / 10));
    }

    @Test
    void exponentialDecaySmoothAndStaircase() {
        assertMatches(Schedule.exponentialDecay(Variable.scalar(ETA0), 0.9, 4, false),
                t -> ETA0 * Math.exp(t / 4.0 * Math.log(0.9)));
        assertMatches(Schedule.exponentialDecay(Variable.scalar(ETA0), 0.9, 4, true),
                t -> ETA0 * Math.pow(0.9, t / 4));
    }

    @Test
    void cosineDecayReachesAlphaAndStays() {
        assertMatches(Schedule.cosineDecay(Variable.scalar(ETA0), 25, 0.1), t -> t >= 25 ? 0.1 * ETA0
                : ETA0 * (0.1 + 0.9 * (1 + Math.cos(Math.PI * t / 25)) / 2));
        assertThat(Schedule.cosineDecay(Variable.scalar(ETA0), 25, 0.0).at(25).item()).isEqualTo(0.0);
    }

    @Test
    void linearWarmupThenCosine() {
        Schedule s = Schedule.linearWarmup(0.0, 5, Schedule.cosineDecay(Variable.scalar(ETA0), 20, 0.0));
        assertMatches(s, t -> t < 5 ? ETA0 * t / 5.0
                : ETA0 * (1 + Math.cos(Math.PI * Math.min(t - 5, 20) / 20)) / 2);
        Schedule partial = Schedule.linearWarmup(0.25, 3, Schedule.constant(ETA0));
        assertMatches(partial, t -> t < 3 ? ETA0 * (0.25 + 0.75 * t / 3.0) : ETA0);
    }

    @Test
    void derivativeWithRespectToTheBaseIsTheMultiplier() {
        Variable eta = Variable.leaf(Tensor.scalar(ETA0));
        Schedule s = Schedule.linearWarmup(0.1, 4, Schedule.cosineDecay(eta, 10, 0.05));
        for (long t = 0; t < 16; t++) {
            Variable value = s.at(t);
            assertThat(Autodiff.grad(value, eta, false).item())
                    .isCloseTo(value.item() / ETA0, org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    @Test
    void invalidArgumentsAreNamed() {
        assertThatThrownBy(() -> Schedule.cosineDecay(Variable.scalar(1), 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decaySteps");
        assertThatThrownBy(() -> Schedule.constant(Variable.constant(Tensor.ones(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one element");
        assertThatThrownBy(() -> Schedule.stepDecay(Variable.scalar(1), 0.5, 3).at(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    }

    private static void assertMatches(Schedule s, LongToDoubleFunction expected) {
        for (long t = 0; t <= 40; t++) {
            double e = expected.applyAsDouble(t);
            assertThat(s.at(t).item()).as("step %d", t)
                    .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-14 * Math.max(1, Math.abs(e))));
        }
    }
}
