package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Layer;
import dev.bilevel.tensor.Rng;

/**
 * A network as a pure function y = f(params, x) of its parameters, so that the same model
 * evaluates the meta-parameters θ and every task-adapted φ = θ − α∇L_S(θ), and any of them can be
 * differentiated (Finn et al. 2017 need exactly this: the adapted weights are values, not state).
 *
 * <p><b>Query evaluation.</b> {@link #applyQuery} maps query inputs given the support inputs. For
 * models without batch statistics it ignores the support; a model with batch normalization uses
 * it to decide which examples the statistics come from (see {@link Conv4.BatchNormMode}).
 *
 * <pre>{@code
 * FunctionalModel net = FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU));
 * }</pre>
 */
public interface FunctionalModel {

    /**
     * Fresh parameters, as leaves.
     *
     * @param rng the initializers' stream
     */
    Params init(Rng rng);

    /**
     * The output for a batch of inputs (support, or any batch on its own).
     *
     * @param params parameters with the names of {@link #init}
     * @param x      inputs, first axis the examples
     */
    Variable apply(Params params, Variable x);

    /**
     * The output for the query inputs of a task whose support inputs are {@code support}; by
     * default {@code apply(params, query)}.
     */
    default Variable applyQuery(Params params, Variable support, Variable query) {
        return apply(params, query);
    }

    /** A stateless {@link Layer} (e.g. an {@link dev.bilevel.autodiff.nn.Mlp}) as a model. */
    static FunctionalModel of(Layer layer) {
        return new LayerModel(layer);
    }
}
