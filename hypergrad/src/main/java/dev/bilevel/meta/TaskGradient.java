package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;

/**
 * What a {@link MetaLearner} returns for one task of a meta-batch: the task's outer loss (query
 * loss after adaptation) and its contribution to the meta-gradient, with the meta-parameters'
 * names. The gradient holds constants (no graph), so the caller can sum them across threads.
 * {@link Reptile}, whose update never uses the query set, reports its training loss instead.
 *
 * @param queryLoss the query loss L_Q(φ) after adaptation; for {@link Reptile} the support
 *                  (training) loss of the last inner step, L_S(φ_{K−1})
 * @param gradient  ∂L_Q(φ(θ))/∂θ, or the learner's update direction (Reptile: θ − φ)
 */
public record TaskGradient(double queryLoss, Params gradient) {
}
