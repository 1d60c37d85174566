package dev.bilevel.hpo.importance;

import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.samplers.RandomSampler;
import org.junit.jupiter.api.Test;

class ScratchImpTimingTest {
  @Test
  void t() {
    Study s = Study.builder().sampler(new RandomSampler(1)).create();
    s.optimize(t -> {
      double v = 0;
      for (int i = 0; i < 5; i++) v += (i + 1) * t.suggestFloat("x" + i, -1, 1) * t.suggestFloat("x" + i, -1, 1);
      return v;
    }, 1000);
    for (int r = 0; r < 3; r++) {
      long t0 = System.nanoTime();
      var a = new FanovaImportanceEvaluator(0).evaluate(s);
      long t1 = System.nanoTime();
      var b = new MeanDecreaseImpurityImportanceEvaluator(0).evaluate(s);
      long t2 = System.nanoTime();
      System.err.printf("IMP fanova %.0f ms mdi %.0f ms %s %s%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, a, b);
    }
  }
}
