package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Linear;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.tensor.Blas;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
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
 * ({@code out × in}, the parameters' own layout), so none is transposed on the way out.
 *
 * <p>Every product, an outer product or a sum of rows (1ᵀ·D, a layer of width 1) included, is a
 * {@link Blas#gemm} call, whose kernels run over whole vectors of columns; what is left is flat
 * elementwise loops over whole arrays, which the compiler vectorizes (a loop over one row of 40
 * would mostly run in its scalar tail). For those, each bias is laid out once per row
 * ({@code Point.tiled}), and elementwise steps that follow one another (bias, ReLU and its mask;
 * adding, masking and scaling an adjoint) share one pass, with the operations of separate passes
 * in their order. A step's U_l = W_lᵀ is θ's plus the step times the support gradient's transpose,
 * which the backward pass makes as a product of its own (the same fused multiply-adds in the same
 * order as the gradient's, hence its exact transpose), not by a strided copy. Each task's
 * meta-gradient is added straight into a flat array ({@link #addMetaGradients}), so a caller that
 * sums a meta-batch needs no per-task tensors.
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
     * Each task's result depends on that task alone: it has the bits of {@link #addMetaGradients}
     * into an array of −0.0 (the identity of addition, signed zeros included).
     */
    List<TaskGradient> metaGradients(Params meta, List<Task> tasks) {
        int n = tasks.size();
        double[] losses = new double[n];
        double[][] flat = new double[n][meta.numel()];
        for (double[] f : flat) {
            Arrays.fill(f, -0.0);
        }
        addMetaGradients(meta, tasks, losses, flat);
        List<String> names = meta.names();
        List<TaskGradient> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Variable> values = new ArrayList<>(names.size());
            int off = 0;
            for (String name : names) {
                Tensor like = meta.get(name).value();
                values.add(Variable.constant(Tensor.of(Arrays.copyOfRange(flat[i], off, off + like.size()),
                        like.shape())));
                off += like.size();
            }
            out.add(new TaskGradient(losses[i], Params.of(names, values)));
        }
        return out;
    }

    /**
     * For each task i, in order: {@code losses[i]} ← its query loss, and {@code into[i]} ←
     * {@code into[i]} + its meta-gradient, flattened as {@link Params#flattenValues} lays out
     * {@code meta}. Several entries of {@code into} may be one array: the tasks' gradients are then
     * added to it in task order. The tasks must be {@link #accepts accepted}; each task's gradient
     * depends on that task alone.
     */
    void addMetaGradients(Params meta, List<Task> tasks, double[] losses, double[][] into) {
        int layers = weights.length;
        int maxRows = 1;
        for (Task t : tasks) {
            maxRows = Math.max(maxRows, Math.max(t.supportX().dim(0), t.queryX().dim(0)));
        }
        double[][] u = new double[layers][];
        double[][] w = new double[layers][];
        double[][] c = new double[layers][];
        double[][] ct = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = meta.get(weights[l]).value().toArray();
            u[l] = transposed(w[l], sizes[l + 1], sizes[l], new Arena());   // θ's own copy, outside the reused scratch
            c[l] = meta.get(biases[l]).value().toArray();
            ct[l] = tiled(c[l], maxRows, new double[maxRows * c[l].length]);
        }
        double[] ones = new double[maxRows];
        Arrays.fill(ones, 1.0);
        Point theta = new Point(u, w, c, ct);
        int[] weightAt = new int[layers];
        int[] biasAt = new int[layers];
        int off = 0;
        for (String name : meta.names()) {
            int l = layerOf(name);
            if (weights[l].equals(name)) {
                weightAt[l] = off;
                off += sizes[l] * sizes[l + 1];
            } else {
                biasAt[l] = off;
                off += sizes[l + 1];
            }
        }
        Arena ar = arenas.get();
        for (int i = 0; i < tasks.size(); i++) {
            ar.reset();
            Pass q = metaGradient(theta, tasks.get(i), maxRows, ones, ar);
            losses[i] = q.loss;
            for (int l = 0; l < layers; l++) {
                addAt(into[i], weightAt[l], q.dw[l]);
                addAt(into[i], biasAt[l], q.dc[l]);
            }
        }
    }

    /**
     * The query pass of {@code task}, its loss set and its dW, dc holding the task's meta-gradient;
     * biases are tiled to {@code maxRows} rows, and {@code ones} holds at least as many ones.
     */
    private Pass metaGradient(Point theta, Task task, int maxRows, double[] ones, Arena ar) {
        int k = task.supportX().dim(0);
        double[] xs = task.supportX().toArray();
        double[] ys = task.supportY().toArray();
        int steps = config.innerSteps();
        Point[] points = new Point[steps + 1];
        Pass[] passes = new Pass[steps];
        points[0] = theta;
        for (int s = 0; s < steps; s++) {
            passes[s] = forward(points[s], xs, k, ar);
            backward(points[s], passes[s], residual(passes[s].y, ys, 2.0 / ys.length, ar), ones, true, ar);
            points[s + 1] = step(points[s], passes[s], -config.innerLr(), maxRows, ar);
        }
        double[] yq = task.queryY().toArray();
        Pass q = forward(points[steps], task.queryX().toArray(), task.queryX().dim(0), ar);
        double[] r = residual(q.y, yq, 1.0, ar);
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += r[i] * r[i];
            r[i] *= 2.0 / yq.length;
        }
        backward(points[steps], q, r, ones, false, ar);
        if (!config.firstOrder()) {
            for (int s = steps - 1; s >= 0; s--) {
                addHessianTerm(points[s], passes[s], q.dw, q.dc, ys.length, ones, ar);
            }
        }
        q.loss = sum / yq.length;
        return q;
    }

    /**
     * {@code acc[at + i] += x[i]} for every i, by {@link Blas#axpy} (a loop with two offsets is not
     * vectorized by the compiler, which cannot rule out that the arrays are one).
     */
    private static void addAt(double[] acc, int at, double[] x) {
        Blas.axpy(x.length, 1.0, x, 0, acc, at);
    }

    /**
     * One task's parameters: U_l = W_lᵀ ({@code in × out}), W_l ({@code out × in}), b_l, and b_l
     * repeated on every row of a {@code rows × out} matrix ({@code tiled}, as many rows as the
     * longest support or query set), so that adding it to a layer's output is one flat loop. When
     * {@code in} or {@code out} is 1, U_l and W_l have the same row-major elements and share one array.
     */
    private record Point(double[][] u, double[][] w, double[][] c, double[][] tiled) {
    }

    /**
     * The point {@code p} + {@code scale}·(dW, dc) of the support pass {@code pass}, with
     * U_l = Uₗ(p) + scale·dW_lᵀ from the pass's own dW_lᵀ: the exact transpose of W_l.
     */
    private Point step(Point p, Pass pass, double scale, int maxRows, Arena ar) {
        int layers = weights.length;
        double[][] nu = new double[layers][];
        double[][] nw = new double[layers][];
        double[][] nc = new double[layers][];
        double[][] nt = new double[layers][];
        for (int l = 0; l < layers; l++) {
            nw[l] = axpy(p.w[l], scale, pass.dw[l], ar);
            nu[l] = pass.dwT[l] == pass.dw[l] ? nw[l] : axpy(p.u[l], scale, pass.dwT[l], ar);
            nc[l] = axpy(p.c[l], scale, pass.dc[l], ar);
            nt[l] = tiled(nc[l], maxRows, ar.take(maxRows * nc[l].length));
        }
        return new Point(nu, nw, nc, nt);
    }

    /**
     * One pass over {@code rows} examples: each layer's input a_l (a₀ = x), the ReLU derivative
     * of each hidden layer as 0/1 values (null for identity), the output y; after
     * {@link #backward}, ∂L/∂z_l and the gradient (∂L/∂W_l, ∂L/∂b_l), with ∂L/∂W_lᵀ when asked for.
     */
    private static final class Pass {
        final int rows;
        final double[][] a;
        final double[][] mask;
        double[] y;
        double[][] dz;
        double[][] dw;
        double[][] dwT;
        double[][] dc;
        double loss;

        Pass(int rows, int layers) {
            this.rows = rows;
            this.a = new double[layers][];
            this.mask = new double[layers][];
        }
    }

    /**
     * z_l = a_l·U_l + b_l layer by layer, with ReLU (and its 0/1 derivative) on the hidden layers;
     * the bias and the ReLU in one pass after the product.
     */
    private Pass forward(Point p, double[] x, int rows, Arena ar) {
        int layers = weights.length;
        Pass pass = new Pass(rows, layers);
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            pass.a[l] = h;
            double[] z = product(h, p.u[l], rows, in, out, ar.take(rows * out));
            if (relu && l < layers - 1) {
                double[] m = ar.take(rows * out);
                biasRelu(z, p.tiled[l], m);
                pass.mask[l + 1] = m;
            } else {
                addTo(z, p.tiled[l]);
            }
            h = z;
        }
        pass.y = h;
        return pass;
    }

    /**
     * Backpropagates {@code g} = ∂L/∂y through {@code pass}: ∂L/∂W_l = dz_lᵀ·a_l, ∂L/∂b_l = 1ᵀ·dz_l,
     * dz_{l−1} = (dz_l·W_l) ∘ relu′; fills the pass's dz, dw and dc, and, when {@code transposes},
     * dwT with ∂L/∂W_lᵀ = a_lᵀ·dz_l (the same array as dw when a side is 1).
     */
    private void backward(Point p, Pass pass, double[] g, double[] ones, boolean transposes, Arena ar) {
        int layers = weights.length;
        int rows = pass.rows;
        pass.dz = new double[layers][];
        pass.dw = new double[layers][];
        pass.dwT = transposes ? new double[layers][] : null;
        pass.dc = new double[layers][];
        double[] d = g;
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            pass.dz[l] = d;
            pass.dw[l] = transposeProduct(d, pass.a[l], rows, out, in, ar.take(out * in));
            if (transposes) {
                pass.dwT[l] = in == 1 || out == 1 ? pass.dw[l]
                        : transposeProduct(pass.a[l], d, rows, in, out, ar.take(out * in));
            }
            pass.dc[l] = columnSums(d, ones, rows, out, ar.take(out));
            if (l > 0) {
                d = mask(product(d, p.w[l], rows, out, in, ar.take(rows * in)), pass.mask[l]);
            }
        }
    }

    /**
     * Adds −α·∇²L_S(φ)·v to v = ({@code vw}, {@code vc}) for the support pass {@code pass} at φ =
     * {@code p}: reverse mode through {@link #backward} seeded with (S_l, s_l) = −α·v_l on (dW_l, db_l),
     * then through {@link #forward}; {@code n} is the number of support targets. The first sweep
     * (input to output) builds the adjoints of the backward pass's dz_l, ż_l = a_l·S_lᵀ + 1·s_lᵀ +
     * ȧ_l·U_l with ȧ_{l+1} = ż_l ∘ relu′, and the parts dz_lᵀ·ȧ_l (of W_l) and dz_l·S_l (of a_l);
     * the second sweep carries ż_{L−1}·2/n back through the forward pass. The products take v_l
     * itself, and −α scales their results in the elementwise pass that follows, so S_l is never
     * formed.
     */
    private void addHessianTerm(Point p, Pass pass, double[][] vw, double[][] vc, int n, double[] ones, Arena ar) {
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
            double[] vu = transposed(vw[l], out, in, ar);
            double[] seedC = tiled(scaled(vc[l], a, ar), rows, ar.take(rows * out));
            // ∘ relu′ on a hidden layer's adjoint; on the output's, the factor 2/n of L_S.
            double[] m = l < layers - 1 ? pass.mask[l + 1] : null;
            double scale = l < layers - 1 ? 1.0 : 2.0 / n;
            double[] barDz = product(pass.a[l], vu, rows, in, out, ar.take(rows * out));
            if (l == 0) {
                addAndMask(barDz, a, seedC, null, m, scale);
            } else {
                addAndMask(barDz, a, seedC, product(barDa, p.u[l], rows, in, out, ar.take(rows * out)), m, scale);
                gw[l] = transposeProduct(pass.dz[l], barDa, rows, out, in, ar.take(out * in));
                barA[l] = product(pass.dz[l], vw[l], rows, out, in, ar.take(rows * in));
            }
            if (l < layers - 1) {
                barDa = barDz;
            } else {
                barZ = barDz;
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] fromForward = transposeProduct(barZ, pass.a[l], rows, out, in, ar.take(out * in));
            addSum(vw[l], gw[l], fromForward);
            addTo(vc[l], columnSums(barZ, ones, rows, out, ar.take(out)));
            if (l > 0) {
                barZ = product(barZ, p.w[l], rows, out, in, ar.take(rows * in));
                addScaledMask(barZ, barA[l], a, pass.mask[l]);
            }
        }
    }

    /** {@code c} = A·B for row-major A ({@code m × k}) and B ({@code k × n}), by {@link Blas#gemm}. */
    private static double[] product(double[] a, double[] b, int m, int k, int n, double[] c) {
        Blas.gemm(false, false, m, n, k, a, 0, b, 0, c, 0);
        return c;
    }

    /**
     * {@code c} = Aᵀ·B for row-major A ({@code rows × m}) and B ({@code rows × n}); when n is 1,
     * as the row vector Bᵀ·A (the same elements), which the kernels run over whole vectors of A's
     * columns.
     */
    private static double[] transposeProduct(double[] a, double[] b, int rows, int m, int n, double[] c) {
        if (n == 1) {
            Blas.gemm(false, false, 1, m, rows, b, 0, a, 0, c, 0);
        } else {
            Blas.gemm(true, false, m, n, rows, a, 0, b, 0, c, 0);
        }
        return c;
    }

    /**
     * {@code s} = 1ᵀ·d, the sums of the columns of the row-major {@code rows × cols} matrix
     * {@code d}, added in row order ({@link Blas#gemm} with the row of ones {@code ones}); a plain
     * sum for one column.
     */
    private static double[] columnSums(double[] d, double[] ones, int rows, int cols, double[] s) {
        if (cols == 1) {
            double sum = d[0];
            for (int i = 1; i < rows; i++) {
                sum += d[i];
            }
            s[0] = sum;
            return s;
        }
        Blas.gemm(false, false, 1, cols, rows, ones, 0, d, 0, s, 0);
        return s;
    }

    /** {@code row} repeated on each of {@code rows} rows of {@code out}, which is returned. */
    private static double[] tiled(double[] row, int rows, double[] out) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(row, 0, out, i * row.length, row.length);
        }
        return out;
    }

    /**
     * z ← relu(z + t) in place, over z's length (t at least as long), and {@code m} ← its
     * derivative: 1 where positive, else 0. The derivative is min(r·2¹⁰²³·2¹⁰²³, 1) of
     * r = relu(·): any positive double, even the least subnormal 2⁻¹⁰⁷⁴, is scaled past 1, zero
     * stays zero; no branches (the signs are unpredictable) and a plain multiply and minimum, which
     * the compiler vectorizes.
     */
    private static void biasRelu(double[] z, double[] t, double[] m) {
        for (int i = 0; i < z.length; i++) {
            double r = Math.max(z[i] + t[i], 0.0);
            z[i] = r;
            m[i] = Math.min(r * 0x1p1023 * 0x1p1023, 1.0);
        }
    }

    /**
     * {@code d} ← (((d·f + t) + x) ∘ m)·scale in place, in one pass over d's length; x null for
     * nothing added, m null for no mask (a factor 1 changes nothing).
     */
    private static void addAndMask(double[] d, double f, double[] t, double[] x, double[] m, double scale) {
        if (x == null) {
            for (int i = 0; i < d.length; i++) {
                double v = d[i] * f + t[i];
                d[i] = (m == null ? v : v * m[i]) * scale;
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                double v = d[i] * f + t[i] + x[i];
                d[i] = (m == null ? v : v * m[i]) * scale;
            }
        }
    }

    /** {@code d} ← (d + x·f) ∘ m in place, in one pass; m null for no mask. */
    private static void addScaledMask(double[] d, double[] x, double f, double[] m) {
        if (m == null) {
            for (int i = 0; i < d.length; i++) {
                d[i] += x[i] * f;
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] = (d[i] + x[i] * f) * m[i];
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

    /** {@code acc} ← acc + x over acc's length (x at least as long). */
    private static double[] addTo(double[] acc, double[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
        return acc;
    }

    /** {@code acc} ← acc + (x + y) in one pass, or acc + y when x is null. */
    private static void addSum(double[] acc, double[] x, double[] y) {
        if (x == null) {
            addTo(acc, y);
            return;
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i] + y[i];
        }
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
