package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import java.util.Set;

/**
 * A {@link FunctionalModel} that is a head on top of a body, f(θ, x) = head(θ_head, body(θ_body, x)),
 * with the head's parameters named by {@link #headNames} and every other parameter the body's. A
 * learner that adapts only the head (ANIL, Raghu et al., ICLR 2020) computes the body's features of a
 * task once and takes its inner steps on the head alone, instead of running the whole network at
 * every step.
 *
 * <p><b>Contract.</b> With {@code f = features(θ, S, Q)}: {@code head(θ, f.support())} equals
 * {@code apply(θ, S)} and {@code head(θ, f.query())} equals {@code applyQuery(θ, S, Q)}; the
 * features do not depend on the head's parameters and the head reads no others.
 *
 * <pre>{@code
 * SplitModel net = new Conv4(1, 28, 32, 5, Conv4.BatchNormMode.TRANSDUCTIVE);
 * SplitModel.Features f = net.features(theta, support, query);
 * Variable logits = net.head(theta, f.query());          // = net.applyQuery(theta, support, query)
 * }</pre>
 */
public interface SplitModel extends FunctionalModel {

    /** The names of the head's parameters θ_head (empty when the model is all body). */
    Set<String> headNames();

    /**
     * The body's features of a task's inputs, rows being examples: the support inputs as
     * {@link #apply} sees them, the query inputs as {@link #applyQuery} sees them (e.g. with the
     * support set's batch statistics).
     *
     * @param params  parameters with the names of {@link #init}; only the body's are read
     * @param support the support inputs
     * @param query   the query inputs
     */
    Features features(Params params, Variable support, Variable query);

    /**
     * The head's output for features from {@link #features}.
     *
     * @param params   parameters with the names of {@link #init}; only the head's are read
     * @param features one row per example
     */
    Variable head(Params params, Variable features);

    /**
     * The body's features of a task.
     *
     * @param support features of the support inputs
     * @param query   features of the query inputs
     */
    record Features(Variable support, Variable query) {
    }
}
