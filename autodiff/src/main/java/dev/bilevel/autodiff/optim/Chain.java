package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition of gradient transformations (optax's {@code chain}): the first link transforms
 * the gradients, each next link transforms the previous link's output, and the last link's output
 * is the update. Each link keeps its own state. Build it with {@link Optimizers#chain}:
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.chain(Optimizers.clipByGlobalNorm(1.0), Optimizers.adam(1e-3));
 * }</pre>
 *
 * <p>Order matters: clipping before Adam bounds the gradients Adam sees; clipping after it bounds
 * the step.
 */
public final class Chain implements Optimizer {
    private final List<Optimizer> links;

    /**
     * @param links the transformations, applied first to last
     * @throws IllegalArgumentException when there are none
     */
    Chain(List<Optimizer> links) {
        if (links.isEmpty()) {
            throw new IllegalArgumentException("chain: needs at least one optimizer");
        }
        this.links = List.copyOf(links);
    }

    /**
     * The state of {@link Chain}.
     *
     * @param states one state per link, in order
     */
    public record State(List<Optimizer.State> states) implements Optimizer.State {
        /** Copies the list. */
        public State {
            states = List.copyOf(states);
        }
    }

    /** The initial state of every link. */
    @Override
    public State init(Params params) {
        List<Optimizer.State> states = new ArrayList<>(links.size());
        for (Optimizer o : links) {
            states.add(o.init(params));
        }
        return new State(states);
    }

    /** The links applied in order; {@code params} is passed to every link. */
    @Override
    public Update update(Params grads, Optimizer.State state, Params params) {
        State s = Optimizers.cast(state, State.class, "chain");
        if (s.states().size() != links.size()) {
            throw new IllegalArgumentException("chain: state has " + s.states().size() + " links, the chain "
                    + links.size());
        }
        Params u = grads;
        List<Optimizer.State> next = new ArrayList<>(links.size());
        for (int i = 0; i < links.size(); i++) {
            Update r = links.get(i).update(u, s.states().get(i), params);
            u = r.updates();
            next.add(r.state());
        }
        return new Update(u, new State(next));
    }
}
