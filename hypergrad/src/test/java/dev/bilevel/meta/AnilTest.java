package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ANIL: oracle L_Q(body, head_K(θ)) with only the head adapted (Raghu et al. 2020). */
class AnilTest extends MetaLearnerContract {
    private static final Anil.Config CONFIG = new Anil.Config(0.05, 2, Set.of("1.weight", "1.bias"), false);

    @Override
    protected MetaLearner learner() {
        return new Anil(TinyModels.regressor(), CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SinusoidTasks(5, 5);
    }

    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        FunctionalModel m = TinyModels.regressor();
        Params phi = InnerLoop.adapt(m, at.detach().leaves(), task, CONFIG.head()::contains,
                (n, g) -> g.mul(CONFIG.innerLr()), CONFIG.innerSteps(), false).detach();
        return queryLoss(m, phi, task);
    }

    /** Beats the non-meta-learned baseline: the same head-only adaptation from the random initialization. */
    @Test
    void beatsTheRandomInitializationWithHeadOnlyAdaptation() {
        Anil anil = new Anil(TinyModels.sinusoidNet(), new Anil.Config(0.05, 5, Set.of("2.weight", "2.bias"), false));
        SinusoidTraining.Outcome o = SinusoidTraining.run(anil, Optimizers.adam(3e-3), 200, 5, 5);
        assertThat(o.after()).isLessThan(0.6 * o.before());
    }

    @Test
    void rejectsAHeadThatIsNotAParameter() {
        Anil anil = new Anil(TinyModels.regressor(), new Anil.Config(0.1, 1, Set.of("9.weight"), false));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> anil.init(new Rng(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9.weight");
    }
}
