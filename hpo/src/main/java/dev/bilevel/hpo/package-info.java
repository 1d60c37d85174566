/**
 * Define-by-run hyperparameter optimization, decomposed as in Optuna (Akiba et al., "Optuna: A
 * Next-generation Hyperparameter Optimization Framework", KDD 2019).
 *
 * <p>A {@link dev.bilevel.hpo.Study} owns trials kept in a {@link
 * dev.bilevel.hpo.storage.Storage}; {@link dev.bilevel.hpo.Study#optimize} runs an {@link
 * dev.bilevel.hpo.Objective} on {@link dev.bilevel.hpo.Trial}s whose parameters come from a {@link
 * dev.bilevel.hpo.samplers.Sampler} and which a {@link dev.bilevel.hpo.pruners.Pruner} may stop
 * early. Finished trials are immutable {@link dev.bilevel.hpo.FrozenTrial} records; samplers and
 * pruners see the study only through the read-only {@link dev.bilevel.hpo.StudyView}.
 *
 * <pre>{@code
 * Study study = Study.builder().sampler(new RandomSampler(42)).pruner(new MedianPruner()).create();
 * study.optimize(trial -> {
 *   double lr = trial.suggestFloat("lr", 1e-5, 1e-1, true);
 *   double loss = 0;
 *   for (int epoch = 0; epoch < 20; epoch++) {
 *     loss = train(lr, epoch);
 *     trial.report(loss, epoch);
 *     if (trial.shouldPrune()) {
 *       throw new TrialPrunedException();
 *     }
 *   }
 *   return loss;
 * }, 100);
 * }</pre>
 */
package dev.bilevel.hpo;
