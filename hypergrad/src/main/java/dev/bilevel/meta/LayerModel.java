package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Layer;
import dev.bilevel.tensor.Rng;

/**
 * A stateless {@link Layer} as a {@link FunctionalModel} ({@link FunctionalModel#of}); the layer
 * stays visible so that learners can recognize architectures with a closed-form path (e.g.
 * {@link ClosedFormMlpMaml}).
 *
 * @param layer the wrapped layer
 */
record LayerModel(Layer layer) implements FunctionalModel {

    @Override
    public Params init(Rng rng) {
        return layer.init(rng);
    }

    @Override
    public Variable apply(Params params, Variable x) {
        return layer.apply(params, x);
    }

    @Override
    public String toString() {
        return layer.toString();
    }
}
