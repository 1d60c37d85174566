package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/** Matrix products. */
public final class LinalgPrimitives {
    private LinalgPrimitives() {}

    /**
     * {@code C = op(A)·op(B)}, {@code op} transposing the last two axes when its flag is set, with
     * optional batch dimensions (see {@link Tensor#matmul(Tensor, boolean, Tensor, boolean)}).
     *
     * <p>VJPs: {@code d op(A) = G·op(B)ᵀ} and {@code d op(B) = op(A)ᵀ·G}, each expressed as one
     * matmul with transpose flags (no transposed copies). An operand of rank 2 shared by a batch
     * receives the sum over the batch: for the common case of a batched input against a weight
     * matrix, the batch is folded into rows so the sum is done by the product itself.
     */
    public record Matmul(boolean transA, boolean transB) implements BinaryPrimitive {
        @Override public String opName() { return "matmul"; }

        @Override public Tensor forward(Tensor a, Tensor b) { return Tensor.matmul(a, transA, b, transB); }

        @Override public Variable vjpFirst(Variable a, Variable b, Variable out, Variable g) {
            Variable d = transA
                    ? Variable.matmul(b, transB, g, true)
                    : Variable.matmul(g, false, b, !transB);
            return a.rank() == d.rank() ? d : d.sumTo(a.shape());
        }

        @Override public Variable vjpSecond(Variable a, Variable b, Variable out, Variable g) {
            if (b.rank() == 2 && a.rank() > 2 && !transA) {
                int k = a.shape().dim(-1);
                int n = g.shape().dim(-1);
                Variable a2 = a.reshape(-1, k);
                Variable g2 = g.reshape(-1, n);
                return transB ? Variable.matmul(g2, true, a2, false) : Variable.matmul(a2, true, g2, false);
            }
            Variable d = transB
                    ? Variable.matmul(g, true, a, transA)
                    : Variable.matmul(a, !transA, g, false);
            return b.rank() == d.rank() ? d : d.sumTo(b.shape());
        }
    }
}
