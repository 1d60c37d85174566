package dev.bilevel.hpo.internal.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.internal.math.StandardNormal;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcquisitionTest {
  static final int N = GaussianProcessTest.N;
  static final int D = GaussianProcessTest.D;

  @Test
  void logEiPlusLogFeasibilityMatchesItsDefinitionAndFiniteDifferences() {
    double[] x = GaussianProcessTest.inputs(5);
    double[] y = GaussianProcessTest.targets();
    double[] c = {0.5, -0.3, 1.1, -1.0, 0.2, 0.4};
    GaussianProcess gp = new GaussianProcess(x, N, D, GaussianProcessTest.CAT, y,
        GaussianProcessTest.PARAMS);
    GaussianProcess cgp = new GaussianProcess(x, N, D, GaussianProcessTest.CAT, c,
        GaussianProcessTest.PARAMS);
    double best = 1.5;
    double threshold = 0.1;
    Acquisition acq = new Acquisition(gp, best, List.of(cgp), new double[] {threshold}, D);
    double[] q = {0.42, 0.17, 1};
    double[] mv = new double[2];
    double[] mc = new double[2];
    double[] mean = new double[1];
    double[] var = new double[1];
    gp.posterior(q, 1, mean, var);
    mv[0] = mean[0];
    mv[1] = var[0];
    cgp.posterior(q, 1, mean, var);
    mc[0] = mean[0];
    mc[1] = var[0];
    double sd = Math.sqrt(mv[1] + Acquisition.STABILIZING_NOISE);
    double expected = Math.log(sd) + StandardNormal.logH((mv[0] - best) / sd)
        + StandardNormal.logCdf((threshold - mc[0]) / Math.sqrt(mc[1]));
    double[] batch = new double[1];
    acq.evaluate(q, 1, batch);
    double[] grad = new double[D];
    Acquisition.Evaluator ev = acq.evaluator();
    double value = ev.valueAndGradient(q, grad);
    assertThat(batch[0]).isCloseTo(expected, within(1e-10));
    assertThat(value).isCloseTo(expected, within(1e-10));
    double h = 1e-6;
    for (int j = 0; j < 2; j++) {
      double[] p = q.clone();
      p[j] += h;
      double fp = ev.valueAndGradient(p, new double[D]);
      p[j] -= 2 * h;
      double fm = ev.valueAndGradient(p, new double[D]);
      assertThat(grad[j]).isCloseTo((fp - fm) / (2 * h), within(1e-5));
    }
  }

  @Test
  void logEiAddsOptunasStabilizingNoiseToTheVariance() {
    // At a training point of a nearly noise-free GP the posterior variance is far below 1e-12:
    // log EI uses σ² + 1e-12 (Optuna's LogEI), so its σ is about 1e-6, not about 0.
    double[] x = GaussianProcessTest.inputs(5);
    double[] y = GaussianProcessTest.targets();
    KernelParams p = GaussianProcessTest.PARAMS;
    KernelParams exact = new KernelParams(p.inverseSquaredLengthscales(), p.kernelScale(), 1e-15);
    GaussianProcess gp = new GaussianProcess(x, N, D, GaussianProcessTest.CAT, y, exact);
    double[] q = java.util.Arrays.copyOfRange(x, 0, D);
    double[] mean = new double[1];
    double[] var = new double[1];
    gp.posterior(q, 1, mean, var);
    assertThat(var[0]).isLessThan(1e-13);
    double best = mean[0] + 1e-7;
    double sd = Math.sqrt(var[0] + 1e-12);
    double expected = Math.log(sd) + StandardNormal.logH((mean[0] - best) / sd);
    double[] out = new double[1];
    new Acquisition(gp, best, List.of(), new double[0], D).evaluate(q, 1, out);
    assertThat(out[0]).isCloseTo(expected, within(1e-9));
    // The single-point path computes σ² with different rounding (~1e-15 here, 1e-3 of 1e-12).
    double value = new Acquisition(gp, best, List.of(), new double[0], D).evaluator()
        .valueAndGradient(q, new double[D]);
    assertThat(value).isCloseTo(expected, within(1e-2));
    double rawSd = Math.sqrt(Math.max(var[0], 1e-30));
    double unstabilized = Math.log(rawSd) + StandardNormal.logH((mean[0] - best) / rawSd);
    assertThat(Math.abs(expected - unstabilized)).isGreaterThan(1);
  }

  @Test
  void feasibilityAloneWhenNoTrialIsFeasible() {
    double[] x = GaussianProcessTest.inputs(6);
    double[] c = {0.5, 0.3, 1.1, 1.0, 0.2, 0.4};
    GaussianProcess cgp = new GaussianProcess(x, N, D, GaussianProcessTest.CAT, c,
        GaussianProcessTest.PARAMS);
    Acquisition acq = new Acquisition(null, 0, List.of(cgp), new double[] {0}, D);
    double[] q = {0.5, 0.5, 0};
    double[] out = new double[1];
    acq.evaluate(q, 1, out);
    double[] mean = new double[1];
    double[] var = new double[1];
    cgp.posterior(q, 1, mean, var);
    assertThat(out[0]).isCloseTo(
        StandardNormal.logCdf(-mean[0] / Math.sqrt(var[0])), within(1e-12));
  }
}
