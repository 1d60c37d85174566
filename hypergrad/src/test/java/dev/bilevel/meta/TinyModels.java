package dev.bilevel.meta;

import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;

/** Small smooth models for finite-difference checks. */
final class TinyModels {
    private TinyModels() {
    }

    /** 1-8-1 tanh regressor: smooth, so central differences are accurate. */
    static FunctionalModel regressor() {
        return FunctionalModel.of(Mlp.of(1, 8, 1).activation(Activation.TANH));
    }

    /** The standard 1-40-40-1 ReLU sinusoid regressor of Finn et al. 2017. */
    static FunctionalModel sinusoidNet() {
        return FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU));
    }
}
