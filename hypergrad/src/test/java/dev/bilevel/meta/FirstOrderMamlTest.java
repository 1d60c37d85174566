package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;

/**
 * First-order MAML: the meta-gradient is ∇L_Q at φ_K(θ) (Finn et al. 2017 §5.2), i.e. the gradient
 * at θ' = θ of F(θ') = L_Q(φ_K(θ) + θ' − θ).
 */
class FirstOrderMamlTest extends MetaLearnerContract {
    private static final Maml.Config CONFIG = new Maml.Config(0.05, 2, true);

    @Override
    protected MetaLearner learner() {
        return new Maml(TinyModels.regressor(), CONFIG);
    }

    @Override
    protected TaskSampler tasks() {
        return new SinusoidTasks(5, 5);
    }

    @Override
    protected double oracleObjective(Params base, Params at, Task task, Rng rng) {
        Params phi = sgd(TinyModels.regressor(), base, task, CONFIG.innerLr(), CONFIG.innerSteps());
        Params shifted = phi.zip(at.detach(), (p, a) -> p.add(a)).zip(base.detach(), (p, b) -> p.sub(b));
        return queryLoss(TinyModels.regressor(), shifted, task);
    }
}
