package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-finite detection names the primitive and the phase. */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread, not referenced
class AnomalyModeTest {

    @Test
    void forwardNaNNamesTheProducingPrimitive() {
        Variable x = Variable.leaf(Tensor.vector(1.0, -1.0));
        try (ModeScope debug = AnomalyMode.enabled()) {
            Variable ok = x.exp();
            assertThatThrownBy(() -> ok.sub(2.0).log())
                    .isInstanceOfSatisfying(NonFiniteValueException.class, e -> {
                        assertThat(e.primitive()).isEqualTo("log");
                        assertThat(e.backward()).isFalse();
                    })
                    .hasMessageContaining("forward of 'log'");
        }
        assertThat(AnomalyMode.isEnabled()).isFalse();
        assertThat(x.log().value().isFinite()).isFalse();
    }

    @Test
    void backwardInfinityNamesTheVjp() {
        Variable x = Variable.leaf(Tensor.vector(0.0, 4.0));
        Variable y = x.sqrt().sum();
        try (ModeScope debug = AnomalyMode.enabled()) {
            assertThatThrownBy(() -> Autodiff.grad(y, List.of(x), false, false))
                    .isInstanceOfSatisfying(NonFiniteValueException.class, e -> {
                        assertThat(e.primitive()).isEqualTo("sqrt");
                        assertThat(e.backward()).isTrue();
                    })
                    .hasMessageContaining("backward (VJP) of 'sqrt'");
        }
        assertThat(Autodiff.grad(y, x, false).value().getFlat(0)).isInfinite();
    }

    @Test
    void detectsInConstantComputationsToo() {
        try (ModeScope debug = AnomalyMode.enabled(); ModeScope off = GradMode.disabled()) {
            assertThatThrownBy(() -> Variable.scalar(0.0).reciprocal())
                    .isInstanceOf(NonFiniteValueException.class).hasMessageContaining("reciprocal");
        }
    }
}
