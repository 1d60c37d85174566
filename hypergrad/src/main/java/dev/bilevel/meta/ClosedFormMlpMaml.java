package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Linear;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.tensor.Blas;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * MAML meta-gradients (Finn, Abbeel &amp; Levine, ICML 2017) of an MLP regressor with ReLU (or
 * identity) hidden activations and a linear output, in closed form: the support forward and
 * backward passes and the reverse pass through both are written out as matrix products on plain
 * arrays ({@link Blas#gemm}), with no recorded graph. With layers z_l = a_l·U_l + b_l
 * (U_l = W_lᵀ), a_{l+1} = relu(z_l), y = z_{L−1} and L_S = ‖y − t‖²/N (N the number of targets):
 *
 * <pre>
 *   φ₀ = θ,  φ_{s+1} = φ_s − α·∇L_S(φ_s),  v_K = ∇L_Q(φ_K),
 *   v_s = v_{s+1} − α·∇²L_S(φ_s)·v_{s+1}   (second order; first order: v_s = v_{s+1}),   g = v₀
 * </pre>
 *
 * The Hessian-vector product is reverse mode through the support backward pass, seeded with
 * −α·v_{s+1} on the gradient that pass produced, then through the forward pass (Pearlmutter,
 * Neural Computation 1994); ReLU's second derivative is zero, so its masks are constants there.
 * This is the function that differentiating the recorded inner loop ({@link InnerLoop}) computes,
 * up to rounding. Each task is computed on its own, so its bits do not depend on the other tasks
 * of a batch; θ's transposes are shared by the tasks of one call. Gradients are kept as W_l
 * ({@code out × in}, the parameters' own layout), so none is transposed on the way out; a layer
 * of width 1 (an outer product or a weighted sum of rows) is a plain loop instead of a matrix product.
 */
final class ClosedFormMlpMaml {
    private final int[] sizes;
    private final String[] weights;
    private final String[] biases;
    private final boolean relu;
    private final Maml.Config config;
    /** Each thread's scratch, kept from call to call (a meta-training thread calls once per iteration). */
    private final ThreadLocal<Arena> arenas = ThreadLocal.withInitial(Arena::new);

    private ClosedFormMlpMaml(Mlp mlp, Maml.Config config) {
        this.sizes = mlp.sizes();
        List<Linear> layers = mlp.layers();
        this.weights = new String[layers.size()];
        this.biases = new String[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            weights[l] = layers.get(l).weightName();
            biases[l] = layers.get(l).biasName();
        }
        this.relu = mlp.activation() == Activation.RELU;
        this.config = config;
    }

    /**
     * The closed form for {@code model}, or null unless it is an {@link Mlp} (through
     * {@link FunctionalModel#of}) with ReLU or identity hidden activations and an identity output.
     */
    static ClosedFormMlpMaml of(FunctionalModel model, Maml.Config config) {
        if (model instanceof LayerModel m && m.layer() instanceof Mlp mlp
                && (mlp.activation() == Activation.RELU || mlp.activation() == Activation.IDENTITY)
                && mlp.outputActivation() == Activation.IDENTITY) {
            return new ClosedFormMlpMaml(mlp, config);
        }
        return null;
    }

    /** Whether {@code task} is a regression task with this network's input and output widths. */
    boolean accepts(Task task) {
        int in = sizes[0];
        int out = sizes[sizes.length - 1];
        return !task.isClassification() && matrix(task.supportX(), in) && matrix(task.supportY(), out)
                && matrix(task.queryX(), in) && matrix(task.queryY(), out);
    }

    private static boolean matrix(Tensor t, int columns) {
        return t.rank() == 2 && t.dim(1) == columns;
    }

    /**
     * Loss and meta-gradient of each task, in order; the tasks must be {@link #accepts accepted}.
     * Each task's result depends on that task alone.
     */
    List<TaskGradient> metaGradients(Params meta, List<Task> tasks) {
        int layers = weights.length;
        double[][] u = new double[layers][];
        double[][] w = new double[layers][];
        double[][] c = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = meta.get(weights[l]).value().toArray();
            u[l] = transposed(w[l], sizes[l + 1], sizes[l], new Arena());   // θ's own copy, outside the reused scratch
            c[l] = meta.get(biases[l]).value().toArray();
        }
        Point theta = new Point(u, w, c);
        List<TaskGradient> out = new ArrayList<>(tasks.size());
        Arena ar = arenas.get();
        for (Task t : tasks) {
            ar.reset();
            out.add(metaGradient(meta, theta, t, ar));
        }
        return out;
    }

    private TaskGradient metaGradient(Params meta, Point theta, Task task, Arena ar) {
        int k = task.supportX().dim(0);
        double[] xs = task.supportX().toArray();
        double[] ys = task.supportY().toArray();
        int steps = config.innerSteps();
        Point[] points = new Point[steps + 1];
        Pass[] passes = new Pass[steps];
        points[0] = theta;
        for (int s = 0; s < steps; s++) {
            passes[s] = forward(points[s], xs, k, ar);
            backward(points[s], passes[s], residual(passes[s].y, ys, 2.0 / ys.length, ar), ar);
            points[s + 1] = step(points[s], passes[s].dw, passes[s].dc, -config.innerLr(), ar);
        }
        double[] yq = task.queryY().toArray();
        Pass q = forward(points[steps], task.queryX().toArray(), task.queryX().dim(0), ar);
        double[] r = residual(q.y, yq, 1.0, ar);
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += r[i] * r[i];
            r[i] *= 2.0 / yq.length;
        }
        backward(points[steps], q, r, ar);
        if (!config.firstOrder()) {
            for (int s = steps - 1; s >= 0; s--) {
                addHessianTerm(points[s], passes[s], q.dw, q.dc, ys.length, ar);
            }
        }
        List<String> names = meta.names();
        List<Variable> values = new ArrayList<>(names.size());
        for (String name : names) {
            int l = layerOf(name);
            double[] v = weights[l].equals(name) ? q.dw[l] : q.dc[l];
            values.add(Variable.constant(Tensor.of(v, meta.get(name).shape())));
        }
        return new TaskGradient(sum / yq.length, Params.of(names, values));
    }

    /**
     * One task's parameters: U_l = W_lᵀ ({@code in × out}), W_l ({@code out × in}), b_l. When
     * {@code in} or {@code out} is 1, U_l and W_l have the same row-major elements and share one array.
     */
    private record Point(double[][] u, double[][] w, double[][] c) {
    }

    /** The point {@code p} + {@code scale}·(dW, dc), with its own U_l = W_lᵀ. */
    private Point step(Point p, double[][] dw, double[][] dc, double scale, Arena ar) {
        int layers = weights.length;
        double[][] nu = new double[layers][];
        double[][] nw = new double[layers][];
        double[][] nc = new double[layers][];
        for (int l = 0; l < layers; l++) {
            nw[l] = axpy(p.w[l], scale, dw[l], ar);
            nu[l] = transposed(nw[l], sizes[l + 1], sizes[l], ar);
            nc[l] = axpy(p.c[l], scale, dc[l], ar);
        }
        return new Point(nu, nw, nc);
    }

    /**
     * One pass over {@code rows} examples: each layer's input a_l (a₀ = x), the ReLU derivative
     * of each hidden layer as 0/1 values (null for identity), the output y; after
     * {@link #backward}, ∂L/∂z_l and the gradient (∂L/∂W_l, ∂L/∂b_l).
     */
    private static final class Pass {
        final int rows;
        final double[][] a;
        final double[][] mask;
        double[] y;
        double[][] dz;
        double[][] dw;
        double[][] dc;

        Pass(int rows, int layers) {
            this.rows = rows;
            this.a = new double[layers][];
            this.mask = new double[layers][];
        }
    }

    /** z_l = a_l·U_l + b_l layer by layer, with ReLU (and its 0/1 derivative) on the hidden layers. */
    private Pass forward(Point p, double[] x, int rows, Arena ar) {
        int layers = weights.length;
        Pass pass = new Pass(rows, layers);
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            pass.a[l] = h;
            double[] z = affine(h, p.u[l], p.c[l], rows, in, out, ar.take(rows * out));
            if (relu && l < layers - 1) {
                double[] m = ar.take(rows * out);
                relu(z, m);
                pass.mask[l + 1] = m;
            }
            h = z;
        }
        pass.y = h;
        return pass;
    }

    /**
     * Backpropagates {@code g} = ∂L/∂y through {@code pass}: ∂L/∂W_l = dz_lᵀ·a_l, ∂L/∂b_l = 1ᵀ·dz_l,
     * dz_{l−1} = (dz_l·W_l) ∘ relu′; fills the pass's dz, dw and dc.
     */
    private void backward(Point p, Pass pass, double[] g, Arena ar) {
        int layers = weights.length;
        int rows = pass.rows;
        pass.dz = new double[layers][];
        pass.dw = new double[layers][];
        pass.dc = new double[layers][];
        double[] d = g;
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            pass.dz[l] = d;
            pass.dw[l] = transposeProduct(d, pass.a[l], rows, out, in, ar.take(out * in));
            pass.dc[l] = columnSums(d, rows, out, ar.take(out));
            if (l > 0) {
                d = maskedProduct(d, p.w[l], null, pass.mask[l], rows, out, in, ar.take(rows * in));
            }
        }
    }

    /**
     * Adds −α·∇²L_S(φ)·v to v = ({@code vw}, {@code vc}) for the support pass {@code pass} at φ =
     * {@code p}: reverse mode through {@link #backward} seeded with (S_l, s_l) = −α·v_l on (dW_l, db_l),
     * then through {@link #forward}; {@code n} is the number of support targets. The first sweep
     * (input to output) builds the adjoints of the backward pass's dz_l, ż_l = a_l·S_lᵀ + 1·s_lᵀ +
     * ȧ_l·U_l with ȧ_{l+1} = ż_l ∘ relu′, and the parts dz_lᵀ·ȧ_l (of W_l) and dz_l·S_l (of a_l);
     * the second sweep carries ż_{L−1}·2/n back through the forward pass.
     */
    private void addHessianTerm(Point p, Pass pass, double[][] vw, double[][] vc, int n, Arena ar) {
        int layers = weights.length;
        int rows = pass.rows;
        double a = -config.innerLr();
        double[][] gw = new double[layers][];
        double[][] barA = new double[layers][];
        double[] barDa = null;
        double[] barZ = null;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] seedW = scaled(vw[l], a, ar);
            double[] seedU = transposed(seedW, out, in, ar);
            double[] seedC = scaled(vc[l], a, ar);
            double[] barDz;
            if (l == 0) {
                barDz = affine(pass.a[l], seedU, seedC, rows, in, out, ar.take(rows * out));
            } else {
                barDz = product(pass.a[l], seedU, rows, in, out, ar.take(rows * out));
                addRowsAnd(barDz, seedC, product(barDa, p.u[l], rows, in, out, ar.take(rows * out)));
                gw[l] = transposeProduct(pass.dz[l], barDa, rows, out, in, ar.take(out * in));
                barA[l] = product(pass.dz[l], seedW, rows, out, in, ar.take(rows * in));
            }
            if (l < layers - 1) {
                barDa = mask(barDz, pass.mask[l + 1]);
            } else {
                barZ = scaled(barDz, 2.0 / n, ar);
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] fromForward = transposeProduct(barZ, pass.a[l], rows, out, in, ar.take(out * in));
            addTo(vw[l], gw[l] == null ? fromForward : addTo(gw[l], fromForward));
            addTo(vc[l], columnSums(barZ, rows, out, ar.take(out)));
            if (l > 0) {
                barZ = maskedProduct(barZ, p.w[l], barA[l], pass.mask[l], rows, out, in, ar.take(rows * in));
            }
        }
    }

    /**
     * {@code z} = A·B + 1·bᵀ for row-major A ({@code m × k}) and B ({@code k × n}): one pass when
     * k = 1, otherwise {@link #product} then {@link #addRows}; the same bits either way.
     */
    private static double[] affine(double[] a, double[] b, double[] bias, int m, int k, int n, double[] z) {
        if (k != 1) {
            addRows(product(a, b, m, k, n, z), bias);
            return z;
        }
        for (int i = 0; i < m; i++) {
            double ai = a[i];
            for (int j = 0, zi = i * n; j < n; j++) {
                z[zi + j] = ai * b[j] + bias[j];
            }
        }
        return z;
    }

    /**
     * {@code c} = A·B for row-major A ({@code m × k}) and B ({@code k × n}): an outer product
     * (k = 1) as a plain loop, otherwise {@link Blas#gemm}.
     */
    private static double[] product(double[] a, double[] b, int m, int k, int n, double[] c) {
        if (k == 1) {
            for (int i = 0; i < m; i++) {
                double ai = a[i];
                for (int j = 0, ci = i * n; j < n; j++) {
                    c[ci + j] = ai * b[j];
                }
            }
        } else {
            Blas.gemm(false, false, m, n, k, a, 0, b, 0, c, 0);
        }
        return c;
    }

    /**
     * {@code c} = Aᵀ·B for row-major A ({@code rows × m}) and B ({@code rows × n}); when n is 1, a
     * weighted sum of A's rows, otherwise {@link Blas#gemm}.
     */
    private static double[] transposeProduct(double[] a, double[] b, int rows, int m, int n, double[] c) {
        if (n == 1) {
            return weightedRowSum(a, b, rows, m, c);
        }
        Blas.gemm(true, false, m, n, rows, a, 0, b, 0, c, 0);
        return c;
    }

    /**
     * {@code c} = Σ_r s_r·x_r over the rows x_r of the row-major {@code rows × cols} matrix
     * {@code x}, added in row order; four rows per pass over {@code c}.
     */
    private static double[] weightedRowSum(double[] x, double[] s, int rows, int cols, double[] c) {
        for (int j = 0; j < cols; j++) {
            c[j] = s[0] * x[j];
        }
        int r = 1;
        for (; r + 3 < rows; r += 4) {
            double s0 = s[r];
            double s1 = s[r + 1];
            double s2 = s[r + 2];
            double s3 = s[r + 3];
            int x0 = r * cols;
            for (int j = 0; j < cols; j++) {
                c[j] = c[j] + s0 * x[x0 + j] + s1 * x[x0 + cols + j] + s2 * x[x0 + 2 * cols + j]
                        + s3 * x[x0 + 3 * cols + j];
            }
        }
        for (; r < rows; r++) {
            double sr = s[r];
            for (int j = 0, xr = r * cols; j < cols; j++) {
                c[j] += sr * x[xr + j];
            }
        }
        return c;
    }

    /**
     * {@code c} = (A·B + X) ∘ {@code mask} for row-major A ({@code m × k}) and B ({@code k × n}),
     * X ({@code add}) and the mask null for none: {@link #product}, {@link #addTo}, {@link #mask} in
     * turn, the last two in one pass, all three in one for an outer product (k = 1); the same bits
     * either way.
     */
    private static double[] maskedProduct(double[] a, double[] b, double[] add, double[] mask, int m, int k, int n,
            double[] c) {
        if (k != 1 || mask == null) {
            return addMask(product(a, b, m, k, n, c), add, mask);
        }
        for (int i = 0; i < m; i++) {
            double ai = a[i];
            int ci = i * n;
            if (add == null) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = ai * b[j] * mask[ci + j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = (ai * b[j] + add[ci + j]) * mask[ci + j];
                }
            }
        }
        return c;
    }

    /** {@code d} ← (d + x) ∘ m in place, in one pass; x and m may be null (nothing added, no mask). */
    private static double[] addMask(double[] d, double[] x, double[] m) {
        if (x == null || m == null) {
            return x == null ? mask(d, m) : addTo(d, x);
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = (d[i] + x[i]) * m[i];
        }
        return d;
    }

    /** {@code d} times the ReLU derivative {@code m} (0/1), in place; {@code d} itself for identity (null). */
    private static double[] mask(double[] d, double[] m) {
        if (m != null) {
            for (int i = 0; i < d.length; i++) {
                d[i] *= m[i];
            }
        }
        return d;
    }

    private static double[] residual(double[] y, double[] t, double scale, Arena ar) {
        double[] r = ar.take(y.length);
        for (int i = 0; i < r.length; i++) {
            r[i] = (y[i] - t[i]) * scale;
        }
        return r;
    }

    /**
     * {@code s} = 1ᵀ·d, the sums of the columns of the row-major {@code rows × cols} matrix
     * {@code d}, added in row order; four rows per pass over {@code s}.
     */
    private static double[] columnSums(double[] d, int rows, int cols, double[] s) {
        if (cols == 1) {
            double sum = d[0];
            for (int i = 1; i < rows; i++) {
                sum += d[i];
            }
            s[0] = sum;
            return s;
        }
        System.arraycopy(d, 0, s, 0, cols);
        int i = cols;
        for (; i + 4 * cols <= rows * cols; i += 4 * cols) {
            for (int j = 0; j < cols; j++) {
                s[j] = s[j] + d[i + j] + d[i + cols + j] + d[i + 2 * cols + j] + d[i + 3 * cols + j];
            }
        }
        for (; i < rows * cols; i += cols) {
            for (int j = 0; j < cols; j++) {
                s[j] += d[i + j];
            }
        }
        return s;
    }

    /** {@code d} ← (d + 1·rowᵀ) + x in place, in one pass: {@link #addRows} then {@link #addTo}. */
    private static void addRowsAnd(double[] d, double[] row, double[] x) {
        int n = row.length;
        for (int i = 0; i < d.length; i += n) {
            for (int j = 0; j < n; j++) {
                d[i + j] = d[i + j] + row[j] + x[i + j];
            }
        }
    }

    /** Adds {@code row} to every row of {@code d}. */
    private static void addRows(double[] d, double[] row) {
        int n = row.length;
        for (int i = 0; i < d.length; i += n) {
            for (int j = 0; j < n; j++) {
                d[i + j] += row[j];
            }
        }
    }

    /**
     * z ← relu(z) in place, and {@code m} ← its derivative: 1 where positive, else 0. The
     * derivative is min(r·2¹⁰²³·2¹⁰²³, 1) of r = relu(·): any positive double, even the least
     * subnormal 2⁻¹⁰⁷⁴, is scaled past 1, zero stays zero; no branches (the signs are unpredictable)
     * and a plain multiply and minimum, which the compiler vectorizes.
     */
    private static void relu(double[] z, double[] m) {
        for (int i = 0; i < z.length; i++) {
            double r = Math.max(z[i], 0.0);
            z[i] = r;
            m[i] = Math.min(r * 0x1p1023 * 0x1p1023, 1.0);
        }
    }

    private static double[] addTo(double[] acc, double[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
        return acc;
    }

    private static double[] scaled(double[] x, double s, Arena ar) {
        double[] out = ar.take(x.length);
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * s;
        }
        return out;
    }

    private static double[] axpy(double[] x, double s, double[] y, Arena ar) {
        double[] out = ar.take(x.length);
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + s * y[i];
        }
        return out;
    }

    /**
     * The transpose of the row-major {@code rows × cols} matrix {@code m}: {@code m} itself when
     * {@code rows} or {@code cols} is 1 (the same elements in the same order), otherwise a copy
     * made four source rows at a time so that each pass writes four adjacent elements.
     */
    private static double[] transposed(double[] m, int rows, int cols, Arena ar) {
        if (rows == 1 || cols == 1) {
            return m;
        }
        double[] t = ar.take(m.length);
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            int s0 = i * cols;
            for (int j = 0, d = i; j < cols; j++, d += rows) {
                t[d] = m[s0 + j];
                t[d + 1] = m[s0 + cols + j];
                t[d + 2] = m[s0 + 2 * cols + j];
                t[d + 3] = m[s0 + 3 * cols + j];
            }
        }
        for (; i < rows; i++) {
            for (int j = 0, d = i; j < cols; j++, d += rows) {
                t[d] = m[i * cols + j];
            }
        }
        return t;
    }

    /**
     * Scratch arrays reused from task to task and call to call: the k-th {@link #take} after a
     * {@link #reset} returns the array the k-th took last time when the length matches. Every task
     * asks for the same sequence of lengths, so after the first task nothing is allocated and the
     * working set stays in cache. The arrays are not cleared: each caller overwrites what it takes.
     */
    private static final class Arena {
        private final List<double[]> arrays = new ArrayList<>();
        private int next;

        void reset() {
            next = 0;
        }

        double[] take(int length) {
            if (next < arrays.size() && arrays.get(next).length == length) {
                return arrays.get(next++);
            }
            double[] a = new double[length];
            if (next < arrays.size()) {
                arrays.set(next, a);
            } else {
                arrays.add(a);
            }
            next++;
            return a;
        }
    }

    private int layerOf(String name) {
        for (int l = 0; l < weights.length; l++) {
            if (weights[l].equals(name) || biases[l].equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("ClosedFormMlpMaml: unknown parameter " + name);
    }
}
