package dev.bilevel.hpo.internal.gp;

import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.internal.space.UnitSpace;
import java.lang.management.ManagementFactory;
import java.util.*;
import org.junit.jupiter.api.Test;

class GpProfileScratchTest {
  static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
  @Test
  void profile() {
    int n = 200, d = 5;
    SplittableRandom rng = new SplittableRandom(1);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) { x[i*d+j] = rng.nextDouble(); s += (x[i*d+j]-0.6)*(x[i*d+j]-0.6); }
      y[i] = -s;
    }
    dev.bilevel.hpo.samplers.GpSamplerAccess.standardize(y);
    boolean[] cat = new boolean[d];
    MarginalLikelihood m0 = new MarginalLikelihood(Arrays.copyOf(x, 199 * d), 199, d, cat, Arrays.copyOf(y, 199), 1e-6, false);
    KernelParams prev = m0.fit(KernelParams.defaults(d), 100, 1e-2, 1e-6);
    for (int rep = 0; rep < 5; rep++) {
      MarginalLikelihood mll = new MarginalLikelihood(x, n, d, cat, y, 1e-6, false);
      double[] g = new double[d + 2];
      long t0 = cpu();
      for (int k = 0; k < 10; k++) mll.valueAndGradient(mll.toRaw(prev), g);
      long t1 = cpu();
      int[] count = {0};
      { double[] gr = new double[d+2]; double fv = mll.valueAndGradient(mll.toRaw(prev), gr); if (rep==0) System.err.println("PREV " + prev + " f " + fv + " g " + Arrays.toString(gr)); }
      double[] raw = mll.toRaw(prev);
      new dev.bilevel.hpo.internal.math.Lbfgsb(10, 0.1).minimize((p, gg) -> { count[0]++; double fv = mll.valueAndGradient(p, gg); return fv; }, raw, null, null, 50, 1e-2, 1e-6);
      KernelParams fitted = mll.fromRaw(raw);
      { double[] gr = new double[d+2]; double fv = mll.valueAndGradient(raw, gr); if (rep==0) System.err.println("FIT " + fitted + " f " + fv + " g " + Arrays.toString(gr)); }
      long t2 = cpu();
      GaussianProcess gp = new GaussianProcess(x, n, d, cat, y, fitted);
      long t3 = cpu();
      Map<String, dev.bilevel.hpo.distributions.Distribution> sp = new TreeMap<>();
      for (int j = 0; j < d; j++) sp.put("x" + j, FloatDistribution.uniform(0, 1));
      UnitSpace space = new UnitSpace(sp);
      double best = Arrays.stream(y).max().getAsDouble();
      Acquisition acq = new Acquisition(gp, best, List.of(), new double[0], d);
      double[] cand = new double[512 * d];
      for (int i = 0; i < cand.length; i++) cand[i] = rng.nextDouble();
      double[] out = new double[512];
      long t4 = cpu();
      acq.evaluate(cand, 512, out);
      long t5 = cpu();
      int[] ec = {0};
      Acquisition.Evaluator ev = acq.evaluator();
      double[] gg = new double[d];
      double[] mm = new double[512], vv = new double[512];
      long q0 = cpu();
      for (int k = 0; k < 10; k++) gp.posterior(cand, 512, mm, vv);
      long q1 = cpu();
      double[] zs = new double[512];
      for (int k = 0; k < 10; k++) for (int c = 0; c < 512; c++) zs[c] += dev.bilevel.hpo.internal.math.StandardNormal.logH((mm[c] - best) / Math.sqrt(vv[c]));
      long q2 = cpu();
      System.err.printf("POST %.2f ms, logH %.2f ms%n", (q1-q0)/10e6, (q2-q1)/10e6);
      long t6 = cpu();
      for (int k = 0; k < 100; k++) ev.valueAndGradient(Arrays.copyOfRange(cand, k*d, k*d+d), gg);
      long t7 = cpu();
      new AcquisitionOptimizer(2048, 10, 50).maximize(acq, space, List.of(), new SplittableRandom(3), n, new double[] {1, 1, 1, 1, 1});
      long t8 = cpu();
      System.err.printf("CPU: mll eval %.2f ms; warm fit %d evals %.1f ms; gp build %.1f ms; batch512 %.2f ms; single eval+grad %.3f ms; acq opt %.1f ms%n",
        (t1-t0)/10e6, count[0], (t2-t1)/1e6 , (t3-t2)/1e6, (t5-t4)/1e6, (t7-t6)/100e6, (t8-t7)/1e6);
    }
  }
}
