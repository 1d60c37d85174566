package dev.bilevel.hpo.internal.gp;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionBlock_DDRM;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CholScratchTest {
  static long cpu() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
  @Test
  void t() {
    int n = 200;
    DMatrixRMaj a = RandomMatrices_DDRM.symmetricPosDef(n, new Random(1));
    CholeskyFactor c = new CholeskyFactor(n);
    double[] inv = new double[n * n];
    CholeskyDecompositionBlock_DDRM blk = new CholeskyDecompositionBlock_DDRM(32);
    DMatrixRMaj w = a.copy();
    for (int rep = 0; rep < 6; rep++) {
      long t0 = cpu();
      for (int k = 0; k < 50; k++) c.factorize(a.data);
      long t1 = cpu();
      for (int k = 0; k < 50; k++) c.inverse(inv);
      long t2 = cpu();
      for (int k = 0; k < 50; k++) { w.setTo(a); blk.decompose(w); }
      long t3 = cpu();
      System.err.printf("CHOL inner %.3f ms inv %.3f ms block %.3f%n", (t1-t0)/50e6, (t2-t1)/50e6, (t3-t2)/50e6);
    }
  }
}
