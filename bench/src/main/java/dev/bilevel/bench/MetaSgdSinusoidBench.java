package dev.bilevel.bench;

import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.meta.FunctionalModel;
import dev.bilevel.meta.Maml;
import dev.bilevel.meta.MetaEvaluation;
import dev.bilevel.meta.MetaLearner;
import dev.bilevel.meta.MetaSgd;
import dev.bilevel.meta.MetaTrainer;
import dev.bilevel.meta.ProgressListener;
import dev.bilevel.meta.SinusoidTasks;
import dev.bilevel.tensor.Rng;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Benchmark {@code metasgd-sinusoid}: Meta-SGD (Li, Zhou, Chen &amp; Li 2017, §4.1) against MAML
 * (Finn et al. 2017) on 5-shot sinusoid regression, trained in the same run with the same seed,
 * network (1-40-40-1 ReLU), one inner step, meta-batch 25 and Adam 1e-3; MAML's α = 0.01 and
 * Meta-SGD's α initialized to 0.01. Evaluation: 600 test tasks with 5 support and 5 query points,
 * MSE after one step with 95% CI. Target (the paper's ordering: 0.90 ± 0.16 vs 1.13 ± 0.18):
 * Meta-SGD's 1-step MSE below MAML's. Options: {@code --iterations N} (default 20,000),
 * {@code --seed S}, {@code --threads T} (default 2).
 */
public final class MetaSgdSinusoidBench {
    private MetaSgdSinusoidBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        long iterations = 20_000;
        long seed = 0;
        int threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("metasgd-sinusoid: unknown option " + args[i]);
            }
        }
        FunctionalModel net = FunctionalModel.of(Mlp.of(1, 40, 40, 1).activation(Activation.RELU));
        SinusoidTasks tasks = new SinusoidTasks(5, 5);
        MetaLearner[] learners = {new Maml(net, new Maml.Config(0.01, 1, false)), new MetaSgd(net, new MetaSgd.Config(0.01, 1))};
        String[] names = {"maml", "meta-sgd"};
        double[][] mse = new double[2][];
        for (int l = 0; l < 2; l++) {
            long t0 = System.nanoTime();
            MetaTrainer trainer = new MetaTrainer(learners[l], Optimizers.adam(1e-3), tasks, null,
                    MetaTrainer.Config.of(iterations, 25, seed).withThreads(threads), ProgressListener.NONE);
            MetaTrainer.Result r = trainer.train();
            double secs = (System.nanoTime() - t0) / 1e9;
            MetaEvaluation.Estimate e = MetaEvaluation.run(learners[l], r.state().meta(), tasks,
                    new Rng(seed).fork(1_000_003L), MetaEvaluation.TASKS, new int[] {1}).get(0);
            mse[l] = new double[] {e.loss(), e.lossCi95()};
            out.println(String.format(Locale.ROOT, "{\"bench\":\"metasgd-sinusoid\",\"learner\":\"%s\",\"shots\":5,"
                    + "\"iterations\":%d,\"train_seconds\":%.1f,\"mse_1\":%.4f,\"ci95_1\":%.4f,\"all_finite\":%s}",
                    names[l], iterations, secs, e.loss(), e.lossCi95(), e.allFinite()));
            out.flush();
        }
        out.println(String.format(Locale.ROOT, "{\"bench\":\"metasgd-sinusoid\",\"summary\":true,\"iterations\":%d,"
                + "\"seed\":%d,\"maml_mse_1\":%.4f,\"maml_ci95\":%.4f,\"metasgd_mse_1\":%.4f,\"metasgd_ci95\":%.4f,"
                + "\"meets_target\":%s,\"published\":\"Meta-SGD 0.90 +- 0.16 vs MAML 1.13 +- 0.18 (Li et al. 2017)\"}",
                iterations, seed, mse[0][0], mse[0][1], mse[1][0], mse[1][1], mse[1][0] < mse[0][0]));
        out.flush();
    }
}
