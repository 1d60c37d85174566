package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The protocol's statistics: mean and 1.96·σ/√n with the sample standard deviation. */
class MetaEvaluationTest {

    /** {1, 2, 3, 4}: mean 2.5, sample σ = √(5/3), half-width 1.96·√(5/3)/2 = 1.2651712…. */
    @Test
    void confidenceIntervalUsesTheSampleStandardDeviation() {
        double[] x = {1, 2, 3, 4};
        assertThat(MetaEvaluation.mean(x)).isEqualTo(2.5);
        assertThat(MetaEvaluation.ci95(x)).isCloseTo(1.96 * Math.sqrt(5.0 / 3) / 2, Offset.offset(1e-15));
        assertThat(MetaEvaluation.ci95(new double[] {7, 7, 7})).isZero();
    }

    /** The estimate after 0 steps is the mean query MSE of θ itself over the same tasks, computed directly. */
    @Test
    void zeroStepEstimateIsTheMeanQueryLossOfTheInitialization() {
        Maml maml = new Maml(TinyModels.regressor(), new Maml.Config(0.05, 1, false));
        Params theta = maml.init(new Rng(0));
        SinusoidTasks tasks = new SinusoidTasks(5, 5);
        List<MetaEvaluation.Estimate> e = MetaEvaluation.run(maml, theta, tasks, new Rng(4), 20, new int[] {0, 2});
        double[] direct = new double[20];
        for (int i = 0; i < 20; i++) {
            direct[i] = MetaLearnerContract.queryLoss(TinyModels.regressor(), theta, tasks.task(new Rng(4), i));
        }
        assertThat(e.get(0).loss()).isCloseTo(MetaEvaluation.mean(direct), Offset.offset(1e-12));
        assertThat(e.get(0).lossCi95()).isCloseTo(MetaEvaluation.ci95(direct), Offset.offset(1e-12));
        assertThat(e.get(0).accuracy()).isNaN();
        assertThat(e.get(1).steps()).isEqualTo(2);
        assertThat(e.get(1).loss()).isNotEqualTo(e.get(0).loss());
        assertThatThrownBy(() -> MetaEvaluation.run(maml, theta, tasks, new Rng(4), 1, new int[] {0}))
                .hasMessageContaining("at least 2 tasks");
    }
}
