package dev.bilevel.autodiff.maml;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;

/**
 * The sinusoid regression tasks of Finn, Abbeel &amp; Levine, "Model-Agnostic Meta-Learning for
 * fast adaptation of deep networks", ICML 2017, §5.1: y = A·sin(x − φ) with amplitude
 * A ~ U[0.1, 5], phase φ ~ U[0, π], inputs x ~ U[−5, 5]; K support and K query points.
 *
 * @param xs support inputs [K, 1]
 * @param ys support targets [K, 1]
 * @param xq query inputs [K, 1]
 * @param yq query targets [K, 1]
 */
record Sinusoid(Tensor xs, Tensor ys, Tensor xq, Tensor yq) {

    static Sinusoid sample(Rng rng, int k) {
        double amplitude = rng.uniform(0.1, 5.0);
        double phase = rng.uniform(0.0, Math.PI);
        Tensor xs = Tensor.uniform(rng, -5, 5, k, 1);
        Tensor xq = Tensor.uniform(rng, -5, 5, k, 1);
        return new Sinusoid(xs, xs.sub(phase).sin().mul(amplitude), xq, xq.sub(phase).sin().mul(amplitude));
    }
}
