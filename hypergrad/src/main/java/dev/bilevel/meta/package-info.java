/**
 * Gradient-based meta-learning as bilevel optimization: the meta-parameters θ (initialization,
 * step sizes, embedding, learned-optimizer weights) are the outer variables, adaptation to a
 * task's support set is the inner problem, and the query loss after adaptation is the outer
 * objective.
 *
 * <ul>
 *   <li>Tasks: {@link dev.bilevel.meta.Task}, {@link dev.bilevel.meta.TaskSampler} with seeded
 *       split streams, {@link dev.bilevel.meta.SinusoidTasks} (Finn et al. 2017) and
 *       {@link dev.bilevel.meta.FewShotTasks} (N-way K-shot over a
 *       {@link dev.bilevel.meta.LabeledDataset} with a {@link dev.bilevel.meta.ClassSplit});
 *       readers in {@link dev.bilevel.meta.data}.</li>
 *   <li>Models: {@link dev.bilevel.meta.FunctionalModel}, {@link dev.bilevel.meta.SplitModel} (a
 *       head on body features), {@link dev.bilevel.meta.Conv4} with explicit batch-norm
 *       behaviour.</li>
 *   <li>Learners ({@link dev.bilevel.meta.MetaLearner}): {@link dev.bilevel.meta.Maml} (second and
 *       first order), {@link dev.bilevel.meta.Reptile}, {@link dev.bilevel.meta.MetaSgd},
 *       {@link dev.bilevel.meta.Anil}, {@link dev.bilevel.meta.Imaml} (implicit gradients through
 *       {@link dev.bilevel.hypergrad.ImplicitDiff}), {@link dev.bilevel.meta.ProtoNet},
 *       {@link dev.bilevel.meta.LearnedOptimizer}.</li>
 *   <li>Outer loop and protocol: {@link dev.bilevel.meta.MetaTrainer} (threads with
 *       thread-count-independent results, validation, early stopping,
 *       {@link dev.bilevel.meta.Checkpoint}s, {@link dev.bilevel.meta.Provenance},
 *       {@link dev.bilevel.meta.ProgressListener}) and {@link dev.bilevel.meta.MetaEvaluation}
 *       (600 tasks, mean ± 1.96·σ/√n).</li>
 * </ul>
 *
 * <pre>{@code
 * Maml maml = new Maml(FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU)),
 *         new Maml.Config(0.01, 1, false));
 * MetaTrainer.Result r = new MetaTrainer(maml, Optimizers.adam(1e-3), new SinusoidTasks(10, 10), null,
 *         MetaTrainer.Config.of(70_000, 25, 0).withThreads(2), ProgressListener.NONE).train();
 * List<MetaEvaluation.Estimate> mse = MetaEvaluation.run(maml, r.state().meta(), new SinusoidTasks(10, 10),
 *         new Rng(1), 600, new int[] {0, 1, 5, 10});
 * }</pre>
 */
package dev.bilevel.meta;
