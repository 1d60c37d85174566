package dev.bilevel.autodiff.linalg;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;

/** Seeded test matrices and a residual oracle computed with plain tensor operations. */
final class Systems {
    private Systems() {}

    /** MᵀM/n + δI for a Gaussian M: symmetric positive definite, eigenvalues in about [δ, 4 + δ]. */
    static Tensor randomSpd(Rng rng, int n, double delta) {
        Tensor m = Tensor.randn(rng, n, n);
        return Tensor.matmul(m, true, m, false).div(n).add(Tensor.eye(n).mul(delta));
    }

    /** Q·diag(λ)·Qᵀ for an orthogonal Q from Gram–Schmidt on a Gaussian matrix. */
    static Tensor withEigenvalues(Rng rng, double... lambda) {
        int n = lambda.length;
        double[][] q = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] v = Tensor.randn(rng, n).toArray();
            for (int i = 0; i < j; i++) {
                double d = 0;
                for (int k = 0; k < n; k++) {
                    d += q[i][k] * v[k];
                }
                for (int k = 0; k < n; k++) {
                    v[k] -= d * q[i][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                v[k] /= norm;
            }
            q[j] = v;
        }
        double[] a = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += q[j][r] * lambda[j] * q[j][c];
                }
                a[r * n + c] = s;
            }
        }
        return Tensor.of(a, n, n);
    }

    /** ‖b − A·x‖ / ‖b‖. */
    static double relativeResidual(Tensor a, Tensor x, Tensor b) {
        Tensor r = b.sub(a.matmul(x.reshape(x.size(), 1)).flatten());
        return norm(r) / norm(b);
    }

    static double norm(Tensor x) {
        return Math.sqrt(x.square().sum().item());
    }
}
