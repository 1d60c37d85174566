package dev.bilevel.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.GradCheck;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Linear} and {@link Mlp}: parameter names and shapes, the forward pass against nested
 * loops over plain doubles, and first and second derivatives with respect to the input and every
 * parameter against central differences.
 */
class LinearTest {

    /** y[n][o] = Σᵢ x[n][i]·W[o][i] + b[o], by loops. */
    private static double[][] affine(double[][] x, Tensor w, Tensor b) {
        int out = w.dim(0);
        int in = w.dim(1);
        double[][] y = new double[x.length][out];
        for (int n = 0; n < x.length; n++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b.getFlat(o);
                for (int i = 0; i < in; i++) {
                    s += x[n][i] * w.get(o, i);
                }
                y[n][o] = s;
            }
        }
        return y;
    }

    private static double[][] rows(Tensor t) {
        double[][] r = new double[t.dim(0)][t.dim(1)];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] = t.get(i, j);
            }
        }
        return r;
    }

    @Test
    void linearHasNamedParametersAndComputesXWtPlusB() {
        Linear fc = Linear.of(5, 3).withPrefix("fc.");
        Params p = fc.init(new Rng(1));
        assertThat(p.names()).containsExactly("fc.weight", "fc.bias");
        assertThat(p.get("fc.weight").shape()).isEqualTo(Shape.of(3, 5));
        assertThat(p.get("fc.bias").shape()).isEqualTo(Shape.of(3));
        assertThat(p.get("fc.weight").value().abs().max().item()).isLessThanOrEqualTo(1 / Math.sqrt(5));
        Tensor x = Tensor.randn(new Rng(2), 4, 5);
        Tensor y = fc.apply(p, Variable.constant(x)).value();
        double[][] expected = affine(rows(x), p.get("fc.weight").value(), p.get("fc.bias").value());
        assertThat(y.maxAbsDiff(Tensor.matrix(expected))).isLessThanOrEqualTo(1e-14);
        assertThat(fc.withBias(false).init(new Rng(1)).names()).containsExactly("fc.weight");
    }

    @Test
    void linearAcceptsBatchedInputs() {
        Linear fc = Linear.of(3, 2);
        Params p = fc.init(new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), 2, 4, 3);
        Tensor y = fc.apply(p, Variable.constant(x)).value();
        assertThat(y.shape()).isEqualTo(Shape.of(2, 4, 2));
        for (int b = 0; b < 2; b++) {
            double[][] expected = affine(rows(x.slice(0, b, b + 1).reshape(4, 3)), p.get("weight").value(),
                    p.get("bias").value());
            assertThat(y.slice(0, b, b + 1).reshape(4, 2).maxAbsDiff(Tensor.matrix(expected))).isLessThanOrEqualTo(1e-14);
        }
    }

    @Test
    void linearRejectsAMismatchedInputNamingTheShapes() {
        Linear fc = Linear.of(3, 2);
        Params p = fc.init(new Rng(0));
        assertThatThrownBy(() -> fc.apply(p, Variable.constant(Tensor.zeros(4, 5))))
                .hasMessageContaining("[4, 5]").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Linear.of(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void linearDerivativesOfAllOrdersMatchFiniteDifferences() {
        Linear fc = Linear.of(4, 3);
        Params p = fc.init(new Rng(5));
        List<Tensor> args = List.of(Tensor.randn(new Rng(6), 2, 4), p.get("weight").value(), p.get("bias").value());
        // tanh so that the second derivative is not identically zero
        GradCheck.check(a -> Linear.affine(a.get(0), a.get(1), a.get(2)).tanh(), args, GradCheck.Options.defaults())
                .requirePassed();
    }

    @Test
    void mlpNamesLayersInOrderAndMatchesALoopReference() {
        Mlp net = Mlp.of(3, 6, 5, 2).activation(Activation.TANH);
        Params p = net.init(new Rng(7));
        assertThat(p.names()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias");
        assertThat(p.get("1.weight").shape()).isEqualTo(Shape.of(5, 6));
        assertThat(p.numel()).isEqualTo(3 * 6 + 6 + 6 * 5 + 5 + 5 * 2 + 2);
        Tensor x = Tensor.randn(new Rng(8), 4, 3);
        double[][] h = rows(x);
        for (int l = 0; l < 3; l++) {
            h = affine(h, p.get(l + ".weight").value(), p.get(l + ".bias").value());
            if (l < 2) {
                for (double[] row : h) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = Math.tanh(row[j]);
                    }
                }
            }
        }
        assertThat(net.apply(p, Variable.constant(x)).value().maxAbsDiff(Tensor.matrix(h))).isLessThanOrEqualTo(1e-14);
        assertThat(net.applyFlat(p.values(), Variable.constant(x)).value().maxAbsDiff(Tensor.matrix(h)))
                .isLessThanOrEqualTo(1e-14);
    }

    @Test
    void mlpInitIsDeterministicForTheSeedAndHonoursCustomInitializers() {
        Mlp net = Mlp.of(2, 4, 1);
        assertThat(net.init(new Rng(9)).flattenValues().maxAbsDiff(net.init(new Rng(9)).flattenValues())).isZero();
        Params z = net.withInit(Initializer.zeros(), Initializer.constant(0.5)).init(new Rng(9));
        assertThat(z.get("0.weight").value().abs().max().item()).isZero();
        assertThat(z.get("1.bias").item()).isEqualTo(0.5);
        assertThatThrownBy(() -> Mlp.of(3)).hasMessageContaining("[3]");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tanh", "gelu", "softplus", "sigmoid", "relu"})
    void mlpDerivativesOfAllOrdersMatchFiniteDifferences(String activation) {
        Activation a = switch (activation) {
            case "tanh" -> Activation.TANH;
            case "gelu" -> Activation.GELU;
            case "softplus" -> Activation.SOFTPLUS;
            case "sigmoid" -> Activation.SIGMOID;
            default -> Activation.RELU;
        };
        Mlp net = Mlp.of(2, 5, 3).activation(a).outputActivation(Activation.TANH);
        Params p = net.init(new Rng(10));
        List<Tensor> args = new ArrayList<>();
        args.add(Tensor.randn(new Rng(11), 3, 2));
        for (Variable v : p.values()) {
            args.add(v.value());
        }
        // For ReLU, a step of 1e-5 along a unit-variance direction cannot cross a kink unless a
        // pre-activation lies within ~1e-4 of 0; the seeded values used here do not.
        GradCheck.check(v -> net.applyFlat(v.subList(1, v.size()), v.get(0)), args, GradCheck.Options.defaults())
                .requirePassed();
    }
}
