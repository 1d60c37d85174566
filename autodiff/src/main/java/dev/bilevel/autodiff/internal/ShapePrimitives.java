package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;

/**
 * Primitives that move values without arithmetic. They come in adjoint pairs, each pair's VJPs
 * being the other member: reshape/reshape, permute/inverse permute, slice/unslice,
 * indexSelect/indexAdd, takeFlat/scatterFlat, broadcastTo/sumTo; concat's VJP slices.
 */
public final class ShapePrimitives {
    private ShapePrimitives() {}

    /** The same values with shape {@code to}. */
    public record Reshape(Shape to) implements UnaryPrimitive {
        @Override public String opName() { return "reshape"; }
        @Override public Tensor forward(Tensor x) { return x.reshape(to); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.reshape(x.shape()); }
    }

    /** Output axis i is input axis {@code perm[i]}; VJP applies the inverse permutation. */
    public record Permute(int[] perm) implements UnaryPrimitive {
        @Override public String opName() { return "permute"; }
        @Override public Tensor forward(Tensor x) { return x.permute(perm); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            int[] inverse = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                inverse[perm[i]] = i;
            }
            return g.permute(inverse);
        }
    }

    /** Elements {@code start, start+step, …} before {@code end} along {@code axis}. */
    public record Slice(int axis, int start, int end, int step) implements UnaryPrimitive {
        @Override public String opName() { return "slice"; }
        @Override public Tensor forward(Tensor x) { return x.slice(axis, start, end, step); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.unslice(x.shape(), axis, start, step);
        }
    }

    /** The adjoint of {@link Slice}: x placed into zeros of shape {@code full}. */
    public record Unslice(Shape full, int axis, int start, int step) implements UnaryPrimitive {
        @Override public String opName() { return "unslice"; }
        @Override public Tensor forward(Tensor x) { return x.unslice(full, axis, start, step); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            int n = x.shape().dim(axis);
            int end = n == 0 ? start : start + (n - 1) * step + 1;
            return g.slice(axis, start, end, step);
        }
    }

    /** Picks {@code indices} along {@code axis}; VJP scatter-adds the cotangent back. */
    public record IndexSelect(int axis, int[] indices) implements UnaryPrimitive {
        @Override public String opName() { return "indexSelect"; }
        @Override public Tensor forward(Tensor x) { return x.indexSelect(axis, indices); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.indexAdd(x.shape(), axis, indices);
        }
    }

    /** The adjoint of {@link IndexSelect}: scatter-add into zeros of shape {@code full}. */
    public record IndexAdd(Shape full, int axis, int[] indices) implements UnaryPrimitive {
        @Override public String opName() { return "indexAdd"; }
        @Override public Tensor forward(Tensor x) { return x.indexAdd(full, axis, indices); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.indexSelect(axis, indices); }
    }

    /** Gathers by row-major flat position (max pooling is one, with the argmax positions); VJP scatters back. */
    public record TakeFlat(int[] positions, Shape outShape) implements UnaryPrimitive {
        @Override public String opName() { return "takeFlat"; }
        @Override public Tensor forward(Tensor x) { return x.takeFlat(positions, outShape); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return g.scatterFlat(positions, x.shape());
        }
    }

    /** The adjoint of {@link TakeFlat}: scatter-add by flat position into zeros of shape {@code full}. */
    public record ScatterFlat(int[] positions, Shape full) implements UnaryPrimitive {
        @Override public String opName() { return "scatterFlat"; }
        @Override public Tensor forward(Tensor x) { return x.scatterFlat(positions, full); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.takeFlat(positions, x.shape()); }
    }

    /** Materialized broadcast to {@code target}; VJP sums back. */
    public record BroadcastTo(Shape target) implements UnaryPrimitive {
        @Override public String opName() { return "broadcastTo"; }
        @Override public Tensor forward(Tensor x) { return x.broadcastTo(target); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.sumTo(x.shape()); }
    }

    /** Sum over broadcast dimensions down to {@code target}: the single unbroadcasting primitive. */
    public record SumTo(Shape target) implements UnaryPrimitive {
        @Override public String opName() { return "sumTo"; }
        @Override public Tensor forward(Tensor x) { return x.sumTo(target); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) { return g.broadcastTo(x.shape()); }
    }

    /** Joins inputs along {@code axis}; VJP of input i is the slice of the cotangent it occupies. */
    public record Concat(int axis) implements NaryPrimitive {
        @Override public String opName() { return "concat"; }
        @Override public Tensor forward(Tensor[] xs) { return Tensor.concat(axis, xs); }
        @Override public Variable vjp(int i, Variable[] xs, Variable out, Variable g) {
            int start = 0;
            for (int j = 0; j < i; j++) {
                start += xs[j].shape().dim(axis);
            }
            return g.slice(axis, start, start + xs[i].shape().dim(axis), 1);
        }
    }
}
