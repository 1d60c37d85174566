package dev.bilevel.hpo.samplers;

import dev.bilevel.hpo.Study;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class GpTimingScratchTest {
  static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
  @Test
  void time() {
    for (int rep = 0; rep < 3; rep++) {
      Study study = Study.builder().sampler(new GpSampler(rep)).create();
      long[] marks = new long[201];
      long t0 = cpu();
      long w0 = System.nanoTime();
      study.optimize(t -> {
        double s = 0;
        for (int i = 0; i < 5; i++) {
          double v = t.suggestFloat("x" + i, -5, 5);
          s += (v - 1) * (v - 1);
        }
        marks[t.number()] = cpu();
        return s;
      }, 200);
      long t1 = cpu();
      System.err.printf("rep %d: cpu total %.1f ms, mean %.2f ms/trial (wall %.2f), last 10 %.2f ms/trial, best %.4g%n",
          rep, (t1 - t0) / 1e6, (t1 - t0) / 1e6 / 200, (System.nanoTime() - w0) / 1e6 / 200, (marks[199] - marks[189]) / 1e7,
          study.bestValue());
    }
  }
}
