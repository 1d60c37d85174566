package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;

/** Reductions over a set of axes; their VJPs broadcast the cotangent back over the reduced axes. */
public final class ReductionPrimitives {
    private ReductionPrimitives() {}

    /** The shape of {@code shape} with {@code axes} (normalized) set to 1. */
    static Shape keptShape(Shape shape, int[] axes) {
        int[] d = shape.dims();
        for (int a : axes) {
            d[a] = 1;
        }
        return Shape.of(d);
    }

    /** The cotangent of a reduction reshaped to keep the reduced axes with size 1. */
    static Variable restoreAxes(Variable g, Shape input, int[] axes, boolean keepDims) {
        return keepDims ? g : g.reshape(keptShape(input, axes));
    }

    /** Σ over {@code axes} (normalized, distinct); VJP broadcasts the cotangent back. */
    public record Sum(int[] axes, boolean keepDims) implements UnaryPrimitive {
        @Override public String opName() { return "sum"; }
        @Override public Tensor forward(Tensor x) { return x.sum(axes, keepDims); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return restoreAxes(g, x.shape(), axes, keepDims).broadcastTo(x.shape());
        }
    }

    /**
     * max over {@code axes}; the cotangent goes to the maximizing elements, split equally among
     * ties. The selection mask is constant, so the second derivative is zero.
     */
    public record Max(int[] axes, boolean keepDims) implements UnaryPrimitive {
        @Override public String opName() { return "max"; }
        @Override public Tensor forward(Tensor x) { return x.max(axes, keepDims); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            Shape kept = keptShape(x.shape(), axes);
            Tensor winners = x.value().eq(out.value().reshape(kept));
            Tensor mask = winners.div(winners.sum(axes, true));
            return restoreAxes(g, x.shape(), axes, keepDims).mul(Variable.constant(mask));
        }
    }
}
