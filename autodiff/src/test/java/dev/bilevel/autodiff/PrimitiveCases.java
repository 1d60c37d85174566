package dev.bilevel.autodiff;

import static dev.bilevel.autodiff.FiniteDifferences.awayFromZero;
import static dev.bilevel.autodiff.FiniteDifferences.broadcastPartner;
import static dev.bilevel.autodiff.FiniteDifferences.normal;
import static dev.bilevel.autodiff.FiniteDifferences.positive;
import static dev.bilevel.autodiff.FiniteDifferences.randomShape;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Convolutions;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One entry per public operation of {@link Variable}: a seeded generator of inputs (random shapes,
 * broadcasting partners, size-1 dimensions, values away from kinks and inside domains), the
 * operation on variables, and the same operation on tensors as the forward reference.
 */
final class PrimitiveCases {
    private PrimitiveCases() {}

    /** A drawn instance of a case. */
    record Instance(List<Tensor> inputs, Function<List<Variable>, Variable> op, Function<List<Tensor>, Tensor> ref) {}

    static final Map<String, Function<Rng, Instance>> CASES = new LinkedHashMap<>();

    private static void unary(String name, BiFunction<Rng, Shape, Tensor> values, UnaryOperator<Variable> op,
            UnaryOperator<Tensor> ref) {
        CASES.put(name, rng -> new Instance(List.of(values.apply(rng, randomShape(rng, 0))),
                xs -> op.apply(xs.get(0)), ts -> ref.apply(ts.get(0))));
    }

    private static void binary(String name, BiFunction<Rng, Shape, Tensor> first, BiFunction<Rng, Shape, Tensor> second,
            BiFunction<Variable, Variable, Variable> op, BiFunction<Tensor, Tensor, Tensor> ref) {
        CASES.put(name, rng -> {
            Shape a = randomShape(rng, 0);
            Shape b = broadcastPartner(rng, a);
            if (rng.nextInt(2) == 0) {
                Shape t = a;
                a = b;
                b = t;
            }
            return new Instance(List.of(first.apply(rng, a), second.apply(rng, b)),
                    xs -> op.apply(xs.get(0), xs.get(1)), ts -> ref.apply(ts.get(0), ts.get(1)));
        });
    }

    /** One input of random shape with rank ≥ minRank; the op may depend on a parameter drawn from rng. */
    private static void shaped(String name, int minRank, BiFunction<Rng, Shape, Tensor> values,
            BiFunction<Rng, Shape, Function<Variable, Variable>> op, BiFunction<Rng, Shape, Function<Tensor, Tensor>> ref) {
        CASES.put(name, rng -> {
            Shape s = randomShape(rng, minRank);
            Tensor x = values.apply(rng, s);
            long paramSeed = rng.nextLong();
            Function<Variable, Variable> f = op.apply(new Rng(paramSeed), s);
            Function<Tensor, Tensor> g = ref.apply(new Rng(paramSeed), s);
            return new Instance(List.of(x), xs -> f.apply(xs.get(0)), ts -> g.apply(ts.get(0)));
        });
    }

    private static int[] randomAxes(Rng rng, Shape s) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (rng.nextInt(2) == 0) {
                axes.add(rng.nextInt(2) == 0 ? i : i - s.rank());
            }
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    static {
        unary("neg", FiniteDifferences::normal, Variable::neg, Tensor::neg);
        unary("exp", FiniteDifferences::normal, Variable::exp, Tensor::exp);
        unary("expm1", FiniteDifferences::normal, Variable::expm1, Tensor::expm1);
        unary("log", FiniteDifferences::positive, Variable::log, Tensor::log);
        unary("log1p", FiniteDifferences::positive, Variable::log1p, Tensor::log1p);
        unary("sqrt", FiniteDifferences::positive, Variable::sqrt, Tensor::sqrt);
        unary("square", FiniteDifferences::normal, Variable::square, Tensor::square);
        unary("reciprocal", FiniteDifferences::positive, Variable::reciprocal, Tensor::reciprocal);
        unary("abs", FiniteDifferences::awayFromZero, Variable::abs, Tensor::abs);
        unary("tanh", FiniteDifferences::normal, Variable::tanh, Tensor::tanh);
        unary("sigmoid", FiniteDifferences::normal, Variable::sigmoid, Tensor::sigmoid);
        unary("relu", FiniteDifferences::awayFromZero, Variable::relu, Tensor::relu);
        unary("leakyRelu", FiniteDifferences::awayFromZero, x -> x.leakyRelu(0.1),
                x -> Tensor.where(x.gt(0.0), x, x.mul(0.1)));
        unary("softplus", FiniteDifferences::normal, Variable::softplus, Tensor::softplus);
        unary("sin", FiniteDifferences::normal, Variable::sin, Tensor::sin);
        unary("cos", FiniteDifferences::normal, Variable::cos, Tensor::cos);
        unary("erf", FiniteDifferences::normal, Variable::erf, Tensor::erf);
        unary("pow3", FiniteDifferences::normal, x -> x.pow(3.0), x -> x.pow(3.0));
        unary("pow1.5", FiniteDifferences::positive, x -> x.pow(1.5), x -> x.pow(1.5));
        unary("pow-2", FiniteDifferences::positive, x -> x.pow(-2.0), x -> x.pow(-2.0));
        unary("pow1", FiniteDifferences::normal, x -> x.pow(1.0), x -> x.pow(1.0));
        unary("addScalar", FiniteDifferences::normal, x -> x.add(1.5), x -> x.add(1.5));
        unary("subScalar", FiniteDifferences::normal, x -> x.sub(0.5), x -> x.sub(0.5));
        unary("rsubScalar", FiniteDifferences::normal, x -> x.rsub(2.0), x -> x.neg().add(2.0));
        unary("mulScalar", FiniteDifferences::normal, x -> x.mul(-3.0), x -> x.mul(-3.0));
        unary("divScalar", FiniteDifferences::normal, x -> x.div(4.0), x -> x.div(4.0));

        binary("add", FiniteDifferences::normal, FiniteDifferences::normal, Variable::add, Tensor::add);
        binary("sub", FiniteDifferences::normal, FiniteDifferences::normal, Variable::sub, Tensor::sub);
        binary("mul", FiniteDifferences::normal, FiniteDifferences::normal, Variable::mul, Tensor::mul);
        binary("div", FiniteDifferences::normal, FiniteDifferences::positive, Variable::div, Tensor::div);
        binary("pow", FiniteDifferences::positive, FiniteDifferences::normal, Variable::pow, Tensor::pow);
        binary("maximum", FiniteDifferences::normal, FiniteDifferences::normal, Variable::maximum, Tensor::maximum);
        binary("minimum", FiniteDifferences::normal, FiniteDifferences::normal, Variable::minimum, Tensor::minimum);
        CASES.put("where", rng -> {
            Shape a = randomShape(rng, 0);
            Shape b = broadcastPartner(rng, a);
            Tensor cond = normal(rng, broadcastPartner(rng, a)).gt(0.0);
            return new Instance(List.of(normal(rng, a), normal(rng, b)),
                    xs -> Variable.where(cond, xs.get(0), xs.get(1)), ts -> Tensor.where(cond, ts.get(0), ts.get(1)));
        });

        shaped("sumAll", 0, FiniteDifferences::normal, (r, s) -> Variable::sum, (r, s) -> Tensor::sum);
        shaped("sumAxes", 0, FiniteDifferences::normal, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.sum(axes, keep);
        }, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.sum(axes, keep);
        });
        shaped("meanAll", 0, FiniteDifferences::normal, (r, s) -> Variable::mean, (r, s) -> Tensor::mean);
        shaped("meanAxes", 0, FiniteDifferences::normal, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.mean(axes, keep);
        }, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.mean(axes, keep);
        });
        shaped("maxAll", 0, FiniteDifferences::normal, (r, s) -> Variable::max, (r, s) -> Tensor::max);
        shaped("maxAxes", 0, FiniteDifferences::normal, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.max(axes, keep);
        }, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.max(axes, keep);
        });
        shaped("minAll", 0, FiniteDifferences::normal, (r, s) -> Variable::min, (r, s) -> Tensor::min);
        shaped("minAxes", 0, FiniteDifferences::normal, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.min(axes, keep);
        }, (r, s) -> {
            int[] axes = randomAxes(r, s);
            boolean keep = r.nextInt(2) == 0;
            return x -> x.min(axes, keep);
        });
        shaped("logsumexp", 1, FiniteDifferences::normal, (r, s) -> {
            int axis = r.nextInt(s.rank());
            boolean keep = r.nextInt(2) == 0;
            return x -> x.logsumexp(axis, keep);
        }, (r, s) -> {
            int axis = r.nextInt(s.rank());
            boolean keep = r.nextInt(2) == 0;
            return x -> x.logsumexp(axis, keep);
        });
        shaped("softmax", 1, FiniteDifferences::normal, (r, s) -> {
            int axis = r.nextInt(s.rank());
            return x -> x.softmax(axis);
        }, (r, s) -> {
            int axis = r.nextInt(s.rank());
            return x -> x.sub(x.logsumexp(axis, true)).exp();
        });
        shaped("logSoftmax", 1, FiniteDifferences::normal, (r, s) -> {
            int axis = r.nextInt(s.rank());
            return x -> x.logSoftmax(axis);
        }, (r, s) -> {
            int axis = r.nextInt(s.rank());
            return x -> x.sub(x.logsumexp(axis, true));
        });

        shaped("reshape", 0, FiniteDifferences::normal, (r, s) -> x -> x.reshape(-1, 1),
                (r, s) -> x -> x.reshape(-1, 1));
        shaped("flatten", 0, FiniteDifferences::normal, (r, s) -> Variable::flatten, (r, s) -> Tensor::flatten);
        shaped("transpose", 2, FiniteDifferences::normal, (r, s) -> Variable::transpose, (r, s) -> Tensor::transpose);
        shaped("permute", 1, FiniteDifferences::normal, (r, s) -> {
            int[] p = r.permutation(s.rank());
            return x -> x.permute(p);
        }, (r, s) -> {
            int[] p = r.permutation(s.rank());
            return x -> x.permute(p);
        });
        shaped("unsqueezeSqueeze", 0, FiniteDifferences::normal, (r, s) -> {
            int a = r.nextInt(s.rank() + 1);
            return x -> x.unsqueeze(a).mul(2.0).squeeze(a).unsqueeze(-1);
        }, (r, s) -> {
            int a = r.nextInt(s.rank() + 1);
            return x -> x.unsqueeze(a).mul(2.0).squeeze(a).unsqueeze(-1);
        });
        shaped("slice", 1, FiniteDifferences::normal, (r, s) -> {
            int[] p = sliceParams(r, s);
            return x -> x.slice(p[0], p[1], p[2], p[3]);
        }, (r, s) -> {
            int[] p = sliceParams(r, s);
            return x -> x.slice(p[0], p[1], p[2], p[3]);
        });
        shaped("unslice", 1, FiniteDifferences::normal, (r, s) -> {
            int axis = r.nextInt(s.rank());
            Shape full = grow(s, axis, 2 * s.dim(axis) + 1);
            return x -> x.unslice(full, axis, 1, 2);
        }, (r, s) -> {
            int axis = r.nextInt(s.rank());
            Shape full = grow(s, axis, 2 * s.dim(axis) + 1);
            return x -> x.unslice(full, axis, 1, 2);
        });
        shaped("indexSelect", 1, FiniteDifferences::normal, (r, s) -> {
            int axis = r.nextInt(s.rank());
            int[] idx = indices(r, s.dim(axis));
            return x -> x.indexSelect(axis, idx);
        }, (r, s) -> {
            int axis = r.nextInt(s.rank());
            int[] idx = indices(r, s.dim(axis));
            return x -> x.indexSelect(axis, idx);
        });
        shaped("indexAdd", 1, FiniteDifferences::normal, (r, s) -> {
            int axis = r.nextInt(s.rank());
            int[] idx = indices(r, s.dim(axis));
            Shape full = grow(s, axis, 3);
            int[] into = clampIndices(idx, s.dim(axis));
            return x -> x.indexAdd(full, axis, into);
        }, (r, s) -> {
            int axis = r.nextInt(s.rank());
            int[] idx = indices(r, s.dim(axis));
            Shape full = grow(s, axis, 3);
            int[] into = clampIndices(idx, s.dim(axis));
            return x -> x.indexAdd(full, axis, into);
        });
        shaped("broadcastTo", 0, FiniteDifferences::normal, (r, s) -> x -> x.broadcastTo(widen(s)),
                (r, s) -> x -> x.broadcastTo(widen(s)));
        CASES.put("sumTo", rng -> {
            Shape big = randomShape(rng, 0);
            Shape small = broadcastPartner(rng, big);
            return new Instance(List.of(normal(rng, big)), xs -> xs.get(0).sumTo(small), ts -> ts.get(0).sumTo(small));
        });
        CASES.put("concat", rng -> {
            Shape s = randomShape(rng, 1);
            int axis = rng.nextInt(s.rank());
            List<Tensor> parts = List.of(normal(rng, s), normal(rng, grow(s, axis, 1)), normal(rng, grow(s, axis, 2)));
            return new Instance(parts, xs -> Variable.concat(axis, xs.toArray(new Variable[0])),
                    ts -> Tensor.concat(axis, ts.toArray(new Tensor[0])));
        });
        CASES.put("stack", rng -> {
            Shape s = randomShape(rng, 0);
            int axis = rng.nextInt(s.rank() + 1);
            return new Instance(List.of(normal(rng, s), normal(rng, s)), xs -> Variable.stack(axis, xs.get(0), xs.get(1)),
                    ts -> Tensor.stack(axis, ts.get(0), ts.get(1)));
        });

        for (int flags = 0; flags < 4; flags++) {
            boolean ta = (flags & 1) != 0;
            boolean tb = (flags & 2) != 0;
            for (String batch : new String[] {"none", "both", "left", "right"}) {
                CASES.put("matmul" + (ta ? "T" : "N") + (tb ? "T" : "N") + "-" + batch, rng -> {
                    int m = 1 + rng.nextInt(3);
                    int k = 1 + rng.nextInt(3);
                    int n = 1 + rng.nextInt(3);
                    int b = 1 + rng.nextInt(3);
                    boolean batchA = batch.equals("both") || batch.equals("left");
                    boolean batchB = batch.equals("both") || batch.equals("right");
                    Shape sa = matrix(batchA, b, ta ? k : m, ta ? m : k);
                    Shape sb = matrix(batchB, b, tb ? n : k, tb ? k : n);
                    return new Instance(List.of(normal(rng, sa), normal(rng, sb)),
                            xs -> Variable.matmul(xs.get(0), ta, xs.get(1), tb),
                            ts -> Tensor.matmul(ts.get(0), ta, ts.get(1), tb));
                });
            }
        }
        convolutions();
    }

    private static void convolutions() {
        CASES.put("conv2d", rng -> {
            int[] g = convGeometry(rng);
            Shape x = Shape.of(g[0], g[1], g[2], g[3]);
            Shape w = Shape.of(g[4], g[1], g[5], g[5]);
            return new Instance(List.of(normal(rng, x), normal(rng, w)),
                    xs -> VariableConvolutions.conv2d(xs.get(0), xs.get(1), g[6], g[7]), ts -> Convolutions.conv2d(ts.get(0), ts.get(1), g[6], g[7]));
        });
        CASES.put("conv2dAsymmetric", rng -> {
            Shape x = Shape.of(1, 2, 4, 5);
            Shape w = Shape.of(2, 2, 2, 3);
            return new Instance(List.of(normal(rng, x), normal(rng, w)),
                    xs -> VariableConvolutions.conv2d(xs.get(0), xs.get(1), 2, 1, 0, 1), ts -> Convolutions.conv2d(ts.get(0), ts.get(1), 2, 1, 0, 1));
        });
        CASES.put("conv2dInputGrad", rng -> {
            int[] g = convGeometry(rng);
            Shape x = Shape.of(g[0], g[1], g[2], g[3]);
            Shape w = Shape.of(g[4], g[1], g[5], g[5]);
            Shape y = Convolutions.conv2d(Tensor.zeros(x), Tensor.zeros(w), g[6], g[7]).shape();
            return new Instance(List.of(normal(rng, y), normal(rng, w)),
                    xs -> VariableConvolutions.conv2dInputGrad(xs.get(0), xs.get(1), x, g[6], g[6], g[7], g[7]),
                    ts -> Convolutions.conv2dInputGrad(ts.get(0), ts.get(1), x, g[6], g[7]));
        });
        CASES.put("conv2dWeightGrad", rng -> {
            int[] g = convGeometry(rng);
            Shape x = Shape.of(g[0], g[1], g[2], g[3]);
            Shape w = Shape.of(g[4], g[1], g[5], g[5]);
            Shape y = Convolutions.conv2d(Tensor.zeros(x), Tensor.zeros(w), g[6], g[7]).shape();
            return new Instance(List.of(normal(rng, x), normal(rng, y)),
                    xs -> VariableConvolutions.conv2dWeightGrad(xs.get(0), xs.get(1), w, g[6], g[6], g[7], g[7]),
                    ts -> Convolutions.conv2dWeightGrad(ts.get(0), ts.get(1), w, g[6], g[7]));
        });
        CASES.put("maxPool2d", rng -> {
            int k = 1 + rng.nextInt(2);
            int stride = 1 + rng.nextInt(2);
            Shape x = Shape.of(1 + rng.nextInt(2), 1 + rng.nextInt(2), 3 + rng.nextInt(2), 3 + rng.nextInt(2));
            return new Instance(List.of(normal(rng, x)), xs -> VariableConvolutions.maxPool2d(xs.get(0), k, stride),
                    ts -> Convolutions.maxPool2d(ts.get(0), k, stride));
        });
        CASES.put("batchNormReluPool", rng -> {
            int n = 1 + rng.nextInt(3);
            int c = 1 + rng.nextInt(2);
            int pool = 2 + rng.nextInt(2);
            int k = 1 + rng.nextInt(n);
            Shape h = Shape.of(n, c, pool + 1 + rng.nextInt(3), pool + 1 + rng.nextInt(3));
            return new Instance(List.of(normal(rng, h), normal(rng, Shape.of(c)), normal(rng, Shape.of(c))),
                    xs -> VariableConvolutions.batchNormReluPool(xs.get(0), xs.get(1), xs.get(2), k, pool, 1e-5),
                    ts -> batchNormReluPool(ts.get(0), ts.get(1), ts.get(2), k, pool, 1e-5));
        });
        CASES.put("avgPool2d", rng -> {
            int k = 1 + rng.nextInt(2);
            int stride = 1 + rng.nextInt(2);
            Shape x = Shape.of(1 + rng.nextInt(2), 1 + rng.nextInt(2), 3 + rng.nextInt(2), 3 + rng.nextInt(2));
            return new Instance(List.of(normal(rng, x)), xs -> VariableConvolutions.avgPool2d(xs.get(0), k, stride),
                    ts -> Convolutions.avgPool2d(ts.get(0), k, stride));
        });
        CASES.put("avgPool2dAdjoint", rng -> {
            int k = 1 + rng.nextInt(2);
            int stride = 1 + rng.nextInt(2);
            Shape x = Shape.of(1 + rng.nextInt(2), 1 + rng.nextInt(2), 3 + rng.nextInt(2), 3 + rng.nextInt(2));
            Shape y = Convolutions.avgPool2d(Tensor.zeros(x), k, stride).shape();
            return new Instance(List.of(normal(rng, y)), xs -> VariableConvolutions.avgPool2dAdjoint(xs.get(0), x, k, stride),
                    ts -> Convolutions.avgPool2dAdjoint(ts.get(0), x, k, stride));
        });
        CASES.put("takeFlat", rng -> {
            Shape x = randomShape(rng, 1);
            int[] p = indices(rng, x.size());
            Shape out = Shape.of(p.length);
            return new Instance(List.of(normal(rng, x)), xs -> xs.get(0).takeFlat(p, out), ts -> ts.get(0).takeFlat(p, out));
        });
        CASES.put("scatterFlat", rng -> {
            int[] p = indices(rng, 5);
            Shape full = Shape.of(5);
            return new Instance(List.of(normal(rng, Shape.of(p.length))), xs -> xs.get(0).scatterFlat(p, full),
                    ts -> ts.get(0).scatterFlat(p, full));
        });
    }

    /** n, c, h, w, out channels, kernel, stride, padding, with the kernel fitting the padded input. */
    /** The reference of the fused block: two-pass statistics of the first k examples, then ReLU and max-pooling. */
    static Tensor batchNormReluPool(Tensor h, Tensor gamma, Tensor beta, int k, int pool, double eps) {
        int[] axes = {0, 2, 3};
        int c = h.shape().dim(1);
        Tensor stats = h.slice(0, 0, k);
        Tensor mu = stats.mean(axes, true);
        Tensor sd = stats.sub(mu).square().mean(axes, true).add(eps).sqrt();
        Tensor y = h.sub(mu).div(sd).mul(gamma.reshape(1, c, 1, 1)).add(beta.reshape(1, c, 1, 1)).relu();
        return Convolutions.maxPool2d(y, pool, pool);
    }

    private static int[] convGeometry(Rng rng) {
        int n = 1 + rng.nextInt(2);
        int c = 1 + rng.nextInt(2);
        int h = 3 + rng.nextInt(3);
        int w = 3 + rng.nextInt(3);
        int o = 1 + rng.nextInt(2);
        int k = 1 + rng.nextInt(3);
        int stride = 1 + rng.nextInt(2);
        int pad = rng.nextInt(2);
        return new int[] {n, c, h, w, o, k, stride, pad};
    }

    private static Shape matrix(boolean batched, int b, int rows, int cols) {
        return batched ? Shape.of(b, rows, cols) : Shape.of(rows, cols);
    }

    private static int[] sliceParams(Rng r, Shape s) {
        int axis = r.nextInt(s.rank());
        int n = s.dim(axis);
        int start = r.nextInt(n);
        int end = start + 1 + r.nextInt(n - start);
        int step = 1 + r.nextInt(2);
        return new int[] {axis, start, end, step};
    }

    private static int[] indices(Rng r, int n) {
        int[] idx = new int[1 + r.nextInt(4)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextInt(n);
        }
        return idx;
    }

    /** One target index per position along the axis of size n, into an axis of size 3 (repeats allowed). */
    private static int[] clampIndices(int[] drawn, int n) {
        int[] into = new int[n];
        for (int i = 0; i < n; i++) {
            into[i] = drawn[i % drawn.length] % 3;
        }
        return into;
    }

    private static Shape grow(Shape s, int axis, int size) {
        int[] d = s.dims();
        d[axis] = size;
        return Shape.of(d);
    }

    /** {@code s} with each size-1 dimension widened to 2 and a leading dimension of 2. */
    private static Shape widen(Shape s) {
        int[] d = new int[s.rank() + 1];
        d[0] = 2;
        for (int i = 0; i < s.rank(); i++) {
            d[i + 1] = s.dim(i) == 1 ? 2 : s.dim(i);
        }
        return Shape.of(d);
    }
}
