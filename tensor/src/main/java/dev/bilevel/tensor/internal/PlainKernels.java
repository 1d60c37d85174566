package dev.bilevel.tensor.internal;

import java.util.Arrays;

/** Plain-Java kernels: the reference the Vector API path is tested against, and the fallback. */
public final class PlainKernels implements Kernels {
    /** The shared instance (the class is stateless). */
    public static final PlainKernels INSTANCE = new PlainKernels();

    private PlainKernels() {
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        Arrays.fill(c, cOff, cOff + m * n, 0.0);
        if (!transA && !transB) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * n;
                for (int p = 0; p < k; p++) {
                    double aip = a[aOff + i * k + p];
                    int bp = bOff + p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        } else if (!transA) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cOff + i * n + j] = dot(a, aOff + i * k, b, bOff + j * k, k);
                }
            }
        } else if (!transB) {
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * n;
                for (int i = 0; i < m; i++) {
                    double api = a[aOff + p * m + i];
                    int ci = cOff + i * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += api * b[bp + j];
                    }
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * n;
                for (int p = 0; p < k; p++) {
                    double api = a[aOff + p * m + i];
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += api * b[bOff + j * k + p];
                    }
                }
            }
        }
    }

    /** One loop nest for all four transposes: each entry a float32 sum in order of p. */
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float ai = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bj = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += ai * bj;
                }
                c[cOff + i * n + j] = s;
            }
        }
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void addDotRows(double[] a, int aOff, double[] b, int bOff, int rows, int n, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] += dot(a, aOff, b, bOff + r * n, n);
        }
    }

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = a[aOff + i] + b[bOff + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = a[aOff + i] - b[bOff + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = a[aOff + i] * b[bOff + i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = op.apply(a[aOff + i], b[bOff + i]);
                }
            }
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, double[] a, int aOff, double s, double[] out, int outOff, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = a[aOff + i] + s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = a[aOff + i] * s;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = op.apply(a[aOff + i], s);
                }
            }
        }
    }

    @Override
    public void addScaled(double[] a, int aOff, double alpha, double[] b, int bOff, double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            double t = alpha * b[bOff + i];
            out[outOff + i] = a[aOff + i] + t;
        }
    }

    @Override
    public String name() {
        return "plain";
    }
}
