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
 * of a batch; θ's transposes are shared by the tasks of one call.
 */
final class ClosedFormMlpMaml {
    private final int[] sizes;
    private final String[] weights;
    private final String[] biases;
    private final boolean relu;
    private final Maml.Config config;

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
            u[l] = transpose(w[l], sizes[l + 1], sizes[l], new Arena());   // θ's own copy, outside the reused scratch
            c[l] = meta.get(biases[l]).value().toArray();
        }
        Point theta = new Point(u, w, c);
        List<TaskGradient> out = new ArrayList<>(tasks.size());
        Arena ar = new Arena();
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
            points[s + 1] = points[s].step(passes[s].du, passes[s].dc, -config.innerLr(), ar);
        }
        double[] yq = task.queryY().toArray();
        Pass q = forward(points[steps], task.queryX().toArray(), task.queryX().dim(0), ar);
        double[] r = residual(q.y, yq, 1.0, ar);
        double sum = 0;
        for (double e : r) {
            sum += e * e;
        }
        for (int i = 0; i < r.length; i++) {
            r[i] *= 2.0 / yq.length;
        }
        backward(points[steps], q, r, ar);
        if (!config.firstOrder()) {
            for (int s = steps - 1; s >= 0; s--) {
                addHessianTerm(points[s], passes[s], q.du, q.dc, ys.length, ar);
            }
        }
        Params g = Params.empty();
        for (String name : meta.names()) {
            int l = layerOf(name);
            double[] v = weights[l].equals(name) ? transpose(q.du[l], sizes[l], sizes[l + 1], ar) : q.dc[l];
            g = g.with(name, Variable.constant(Tensor.of(v, meta.get(name).shape())));
        }
        return new TaskGradient(sum / yq.length, g);
    }

    /** One task's parameters: U_l = W_lᵀ ({@code in × out}), W_l ({@code out × in}), b_l. */
    private record Point(double[][] u, double[][] w, double[][] c) {
        Point step(double[][] du, double[][] dc, double scale, Arena ar) {
            int layers = u.length;
            double[][] nu = new double[layers][];
            double[][] nw = new double[layers][];
            double[][] nc = new double[layers][];
            for (int l = 0; l < layers; l++) {
                nu[l] = axpy(u[l], scale, du[l], ar);
                nw[l] = transpose(nu[l], w[l].length / c[l].length, c[l].length, ar);
                nc[l] = axpy(c[l], scale, dc[l], ar);
            }
            return new Point(nu, nw, nc);
        }
    }

    /**
     * One pass over {@code rows} examples: each layer's input a_l (a₀ = x), the ReLU derivative
     * of each hidden layer as 0/1 values (null for identity), the output y; after
     * {@link #backward}, ∂L/∂z_l and the gradient (∂L/∂U_l, ∂L/∂b_l).
     */
    private static final class Pass {
        final int rows;
        final double[][] a;
        final double[][] mask;
        double[] y;
        double[][] dz;
        double[][] du;
        double[][] dc;

        Pass(int rows, int layers) {
            this.rows = rows;
            this.a = new double[layers][];
            this.mask = new double[layers][];
        }
    }

    private Pass forward(Point p, double[] x, int rows, Arena ar) {
        int layers = weights.length;
        Pass pass = new Pass(rows, layers);
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            pass.a[l] = h;
            double[] z = ar.take(rows * out);
            Blas.gemm(false, false, rows, out, in, h, 0, p.u[l], 0, z, 0);
            addRows(z, p.c[l]);
            if (relu && l < layers - 1) {
                double[] m = ar.take(rows * out);
                for (int i = 0; i < z.length; i++) {
                    // Without branches (the signs are unpredictable): relu, then 1 for any positive value.
                    double r = Math.max(z[i], 0.0);
                    z[i] = r;
                    m[i] = Math.ceil(Math.min(r, 1.0));
                }
                pass.mask[l + 1] = m;
            }
            h = z;
        }
        pass.y = h;
        return pass;
    }

    /** Backpropagates {@code g} = ∂L/∂y through {@code pass}, filling its dz, du and dc. */
    private void backward(Point p, Pass pass, double[] g, Arena ar) {
        int layers = weights.length;
        int rows = pass.rows;
        pass.dz = new double[layers][];
        pass.du = new double[layers][];
        pass.dc = new double[layers][];
        double[] d = g;
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            pass.dz[l] = d;
            pass.du[l] = ar.take(in * out);
            Blas.gemm(true, false, in, out, rows, pass.a[l], 0, d, 0, pass.du[l], 0);
            pass.dc[l] = columnSums(d, rows, out, ar);
            if (l > 0) {
                double[] da = ar.take(rows * in);
                Blas.gemm(false, false, rows, in, out, d, 0, p.w[l], 0, da, 0);
                d = mask(da, pass.mask[l]);
            }
        }
    }

    /**
     * Adds −α·∇²L_S(φ)·v to v = ({@code vu}, {@code vc}) for the support pass {@code pass} at φ =
     * {@code p}: reverse mode through {@link #backward} seeded with −α·v on (du, dc), then through
     * {@link #forward}; {@code n} is the number of support targets.
     */
    private void addHessianTerm(Point p, Pass pass, double[][] vu, double[][] vc, int n, Arena ar) {
        int layers = weights.length;
        int rows = pass.rows;
        double a = -config.innerLr();
        double[][] gu = new double[layers][];
        double[][] barA = new double[layers][];
        double[] barDa = null;
        double[] barZ = null;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] seedU = scaled(vu[l], a, ar);
            double[] barDz = ar.take(rows * out);
            Blas.gemm(false, false, rows, out, in, pass.a[l], 0, seedU, 0, barDz, 0);
            addRows(barDz, scaled(vc[l], a, ar));
            if (l > 0) {
                double[] t = ar.take(rows * out);
                Blas.gemm(false, false, rows, out, in, barDa, 0, p.u[l], 0, t, 0);
                addTo(barDz, t);
                gu[l] = ar.take(in * out);
                Blas.gemm(true, false, in, out, rows, barDa, 0, pass.dz[l], 0, gu[l], 0);
                barA[l] = ar.take(rows * in);
                Blas.gemm(false, false, rows, in, out, pass.dz[l], 0, transpose(seedU, in, out, ar), 0, barA[l], 0);
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
            double[] fromForward = ar.take(in * out);
            Blas.gemm(true, false, in, out, rows, pass.a[l], 0, barZ, 0, fromForward, 0);
            addTo(vu[l], gu[l] == null ? fromForward : addTo(gu[l], fromForward));
            addTo(vc[l], columnSums(barZ, rows, out, ar));
            if (l > 0) {
                double[] barIn = ar.take(rows * in);
                Blas.gemm(false, false, rows, in, out, barZ, 0, p.w[l], 0, barIn, 0);
                barZ = mask(addTo(barIn, barA[l]), pass.mask[l]);
            }
        }
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

    /** The sums of the columns of the row-major {@code rows × cols} matrix {@code d}, as the product 1ᵀ·d. */
    private static double[] columnSums(double[] d, int rows, int cols, Arena ar) {
        double[] ones = ar.take(rows);
        java.util.Arrays.fill(ones, 1.0);
        double[] s = ar.take(cols);
        Blas.gemm(false, false, 1, cols, rows, ones, 0, d, 0, s, 0);
        return s;
    }

    private static void addRows(double[] d, double[] row) {
        for (int i = 0; i < d.length; i += row.length) {
            for (int j = 0; j < row.length; j++) {
                d[i + j] += row[j];
            }
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
     * The transpose of the row-major {@code rows × cols} matrix {@code m}, four source rows at a
     * time so that each pass writes four adjacent elements.
     */
    private static double[] transpose(double[] m, int rows, int cols, Arena ar) {
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
     * Scratch arrays reused from task to task: the k-th {@link #take} after a {@link #reset} returns
     * the array the k-th took last time when the length matches. Every task asks for the same
     * sequence of lengths, so after the first task nothing is allocated and the working set stays
     * in cache. The arrays are not cleared: each caller overwrites what it takes.
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
