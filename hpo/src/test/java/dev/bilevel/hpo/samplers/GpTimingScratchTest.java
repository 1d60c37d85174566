package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.distributions.Distribution;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpTimingScratchTest {
  static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
  @Test
  void time() {
    for (int rep = 0; rep < 3; rep++) {
      Study study = Study.builder().sampler(new GpSampler(rep)).create();
      long[] marks = new long[201];
      long t0 = cpu();
      study.optimize(t -> {
        double s = 0;
        for (int i = 0; i < 5; i++) {
          double v = t.suggestFloat("x" + i, -5, 5);
          s += (v - 1) * (v - 1);
        }
        marks[t.number()] = cpu();
        if (t.number() % 20 == 19) System.err.println("EVALS at " + t.number() + ": " + dev.bilevel.hpo.internal.gp.MarginalLikelihood.DEBUG_EVALS.getAndSet(0) / 20.0);
        return s;
      }, 200);
      long t1 = cpu();
      GpSampler sampler = (GpSampler) study.sampler();
      FrozenTrial last = study.trials().get(199);
      long s0 = cpu();
      Map<String, Distribution> space = null;
      for (int k = 0; k < 10; k++) { space = sampler.inferRelativeSearchSpace(study, last); }
      long s1 = cpu();
      for (int k = 0; k < 10; k++) sampler.sampleRelative(study, last, space);
      long s2 = cpu();
      System.err.printf("rep %d: cpu mean %.2f ms/trial, last 10 %.2f ms/trial; infer %.2f ms sampleRelative %.2f ms%n",
          rep, (t1 - t0) / 1e6 / 200, (marks[199] - marks[189]) / 1e7, (s1 - s0) / 1e7, (s2 - s1) / 1e7);
    }
  }
}
