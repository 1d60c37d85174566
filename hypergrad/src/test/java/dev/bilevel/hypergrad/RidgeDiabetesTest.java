package dev.bilevel.hypergrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ridge regression on the diabetes table (442 × 10, features and target standardized; train rows
 * 0–299, validation rows 300–441), λ the L2 penalty:
 *
 * <pre>
 *   f(λ, w) = ½‖X w − y‖² + ½λ‖w‖²,   F(λ, w) = (1/2m)‖X_v w − y_v‖²
 *   w*(λ) = (XᵀX + λI)⁻¹ Xᵀy,   dw*(λ)/dλ = −(XᵀX + λI)⁻¹ w*,   dF/dλ = (1/m)(X_v w* − y_v)ᵀ X_v dw*(λ)/dλ
 * </pre>
 *
 * The oracle is this closed form, evaluated here with a Cholesky factorization (independent of the
 * library's solvers). λ = 30 makes gradient descent with step 1/1300 contract by 0.975 per step,
 * so 1500 steps converge to rounding.
 */
class RidgeDiabetesTest {
    private static final double LAMBDA = 30;
    private static final double LR = 1.0 / 1300;
    private static final int STEPS = 1500;
    private static double[][] xTrain;
    private static double[] yTrain;
    private static double[][] xVal;
    private static double[] yVal;

    @BeforeAll
    static void load() throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = RidgeDiabetesTest.class.getResourceAsStream("sklearn-diabetes.csv.gz");
                BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                        StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",");
                double[] v = new double[11];
                for (int j = 0; j < 11; j++) {
                    v[j] = Double.parseDouble(f[j + 1]);
                }
                rows.add(v);
            }
        }
        assertThat(rows).hasSize(442);
        for (int j = 0; j < 11; j++) {
            double mean = 0;
            double sq = 0;
            for (double[] v : rows) {
                mean += v[j] / rows.size();
            }
            for (double[] v : rows) {
                sq += (v[j] - mean) * (v[j] - mean) / rows.size();
            }
            double sd = Math.sqrt(sq);
            for (double[] v : rows) {
                v[j] = (v[j] - mean) / sd;
            }
        }
        xTrain = new double[300][];
        yTrain = new double[300];
        xVal = new double[142][];
        yVal = new double[142];
        for (int i = 0; i < 442; i++) {
            double[] v = rows.get(i);
            double[] x = java.util.Arrays.copyOf(v, 10);
            if (i < 300) {
                xTrain[i] = x;
                yTrain[i] = v[10];
            } else {
                xVal[i - 300] = x;
                yVal[i - 300] = v[10];
            }
        }
    }

    private static BilevelProblem problem() {
        Variable x = Variable.constant(Tensor.matrix(xTrain));
        Variable y = Variable.constant(Tensor.of(yTrain, 300, 1));
        Variable xv = Variable.constant(Tensor.matrix(xVal));
        Variable yv = Variable.constant(Tensor.of(yVal, 142, 1));
        Objective f = (lam, th) -> x.matmul(th.get("w")).sub(y).square().sum().mul(0.5)
                .add(th.get("w").square().sum().mul(lam.get("l2")).mul(0.5));
        Objective outer = (lam, th) -> xv.matmul(th.get("w")).sub(yv).square().sum().div(2.0 * 142);
        return new BilevelProblem(InnerProblem.minimize(f), outer, InnerSolver.steps(Optimizers.sgd(LR), STEPS));
    }

    private static Params lambda() {
        return Params.empty().with("l2", Variable.constant(Tensor.scalar(LAMBDA)));
    }

    private static Params w0() {
        return Params.empty().with("w", Variable.constant(Tensor.zeros(10, 1)));
    }

    /** The closed-form dF/dλ by Cholesky solves with XᵀX + λI. */
    private static double closedForm() {
        double[][] h = new double[10][10];
        double[] xty = new double[10];
        for (int i = 0; i < 300; i++) {
            for (int a = 0; a < 10; a++) {
                xty[a] += xTrain[i][a] * yTrain[i];
                for (int b = 0; b < 10; b++) {
                    h[a][b] += xTrain[i][a] * xTrain[i][b];
                }
            }
        }
        for (int a = 0; a < 10; a++) {
            h[a][a] += LAMBDA;
        }
        double[][] l = cholesky(h);
        double[] w = cholSolve(l, xty);
        double[] dw = cholSolve(l, w);
        double g = 0;
        for (int i = 0; i < 142; i++) {
            double pred = 0;
            double dpred = 0;
            for (int a = 0; a < 10; a++) {
                pred += xVal[i][a] * w[a];
                dpred -= xVal[i][a] * dw[a];
            }
            g += (pred - yVal[i]) * dpred / 142;
        }
        return g;
    }

    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }

    private static double[] cholSolve(double[][] l, double[] b) {
        int n = b.length;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * z[k];
            }
            z[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    @Test
    void implicitHypergradientEqualsTheClosedFormTo1e8() {
        double expected = closedForm();
        for (LinearSolver s : new LinearSolver[] {LinearSolver.cg(new SolverOptions(1e-12, 0, 100)),
                new LinearSolver.Dense()}) {
            Hypergradient h = HypergradientMethod.implicit(s).compute(problem(), lambda(), w0());
            assertThat(h.diagnostics().reliable()).as("%s", h.diagnostics().warnings()).isTrue();
            assertThat(Math.abs(h.flat().item() - expected)).as(s.name()).isLessThanOrEqualTo(1e-8 * Math.abs(expected));
        }
    }

    @Test
    void unrolledHypergradientWithManyStepsEqualsTheClosedFormTo1e5() {
        double expected = closedForm();
        Hypergradient h = HypergradientMethod.unrolled().compute(problem(), lambda(), w0());
        assertThat(Math.abs(h.flat().item() - expected)).isLessThanOrEqualTo(1e-5 * Math.abs(expected));
        Hypergradient ck = HypergradientMethod.checkpointed().compute(problem(), lambda(), w0());
        assertThat(Math.abs(ck.flat().item() - expected)).isLessThanOrEqualTo(1e-5 * Math.abs(expected));
    }
}
