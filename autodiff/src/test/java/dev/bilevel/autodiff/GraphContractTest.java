package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The contracts of graph recording and of {@link Autodiff#grad(Variable, List, boolean, boolean)}. */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread, not referenced
class GraphContractTest {
    private final Rng rng = new Rng(42);

    private Variable smallNet(Variable w1, Variable w2, Variable x) {
        return x.matmul(w1).tanh().matmul(w2).sigmoid().square().mean();
    }

    @Test
    void createGraphFalseGivesTheSameValuesAsTrue() {
        Variable w1 = Variable.leaf(Tensor.randn(rng, 3, 5));
        Variable w2 = Variable.leaf(Tensor.randn(rng, 5, 2));
        Variable x = Variable.constant(Tensor.randn(rng, 4, 3));
        Variable loss = smallNet(w1, w2, x);
        List<Variable> plain = Autodiff.grad(loss, List.of(w1, w2), false, false);
        List<Variable> recorded = Autodiff.grad(loss, List.of(w1, w2), true, false);
        for (int i = 0; i < 2; i++) {
            assertThat(plain.get(i).value().maxAbsDiff(recorded.get(i).value())).isZero();
            assertThat(plain.get(i).requiresGrad()).isFalse();
            assertThat(recorded.get(i).requiresGrad()).isTrue();
        }
    }

    @Test
    void gradOfNonScalarIsAnErrorNamingTheShape() {
        Variable x = Variable.leaf(Tensor.randn(rng, 2, 3));
        assertThatThrownBy(() -> Autodiff.grad(x.exp(), x, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3]");
    }

    @Test
    void unusedInputIsAnErrorUnlessAllowed() {
        Variable x = Variable.leaf(Tensor.randn(rng, 3));
        Variable unused = Variable.leaf(Tensor.randn(rng, 2, 2));
        Variable y = x.square().sum();
        assertThatThrownBy(() -> Autodiff.grad(y, List.of(x, unused), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 1")
                .hasMessageContaining("not used");
        List<Variable> g = Autodiff.grad(y, List.of(x, unused), false, true);
        assertThat(g.get(1).value().maxAbsDiff(Tensor.zeros(2, 2))).isZero();
        assertThat(g.get(0).value().maxAbsDiff(x.value().mul(2.0))).isZero();
    }

    @Test
    void constantInputIsReportedAsNotRequiringGrad() {
        Variable x = Variable.leaf(Tensor.randn(rng, 3));
        Variable c = Variable.constant(Tensor.randn(rng, 3));
        Variable y = x.mul(c).sum();
        assertThatThrownBy(() -> Autodiff.grad(y, List.of(c), false, false))
                .hasMessageContaining("does not require grad");
        assertThat(Autodiff.grad(y, List.of(c), false, true).get(0).value().maxAbsDiff(Tensor.zeros(3))).isZero();
    }

    @Test
    void detachStopsGradients() {
        Variable x = Variable.leaf(Tensor.vector(1.5, -2.0));
        Variable y = x.mul(x.detach()).sum();
        // d/dx (x · stop(x)) = stop(x) = x, not 2x.
        assertThat(Autodiff.grad(y, x, false).value().maxAbsDiff(x.value())).isZero();
        assertThat(x.detach().requiresGrad()).isFalse();
        assertThat(x.detach().value()).isSameAs(x.value());
    }

    @Test
    void gradModeDisabledRecordsNothingAndScopesNest() {
        Variable x = Variable.leaf(Tensor.randn(rng, 3));
        assertThat(GradMode.isEnabled()).isTrue();
        try (ModeScope off = GradMode.disabled()) {
            assertThat(GradMode.isEnabled()).isFalse();
            Variable y = x.exp().sum();
            assertThat(y.requiresGrad()).isFalse();
            assertThat(y.isLeaf()).isTrue();
            assertThat(y.inputs()).isEmpty();
            try (ModeScope on = GradMode.enabled()) {
                assertThat(x.exp().requiresGrad()).isTrue();
            }
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
        Variable z = x.exp();
        assertThat(z.opName()).isEqualTo("exp");
        assertThat(z.inputs()).containsExactly(x);
    }

    @Test
    void gradModeIsThreadLocal() throws InterruptedException {
        AtomicBoolean otherThreadEnabled = new AtomicBoolean();
        try (ModeScope off = GradMode.disabled()) {
            Thread t = new Thread(() -> otherThreadEnabled.set(GradMode.isEnabled()));
            t.start();
            t.join();
        }
        assertThat(otherThreadEnabled).isTrue();
    }

    @Test
    void operationsOnConstantsRecordNothing() {
        Variable c = Variable.constant(Tensor.randn(rng, 3));
        assertThat(c.exp().add(c).requiresGrad()).isFalse();
        assertThat(c.opName()).isEqualTo("constant");
        assertThat(Variable.leaf(c.value()).opName()).isEqualTo("leaf");
    }

    @Test
    void gradientWithRespectToIntermediateResults() {
        Variable x = Variable.leaf(Tensor.vector(0.4, -0.9));
        Variable y = x.square();
        Variable z = y.sin().sum();
        List<Variable> g = Autodiff.grad(z, List.of(y, x), false, false);
        assertThat(g.get(0).value().maxAbsDiff(y.value().cos())).isZero();
        assertThat(g.get(1).value().maxAbsDiff(y.value().cos().mul(x.value().mul(2.0)))).isLessThan(1e-15);
    }

    @Test
    void repeatedInputsGetTheSameGradient() {
        Variable x = Variable.leaf(Tensor.vector(2.0));
        List<Variable> g = Autodiff.grad(x.square().sum(), List.of(x, x), false, false);
        assertThat(g.get(0).item()).isEqualTo(4.0);
        assertThat(g.get(1).item()).isEqualTo(4.0);
    }

    @Test
    void fanOutContributionsAdd() {
        Variable x = Variable.leaf(Tensor.vector(3.0));
        Variable y = x.add(x).add(x.mul(x)).sum();
        assertThat(Autodiff.grad(y, x, false).item()).isEqualTo(2.0 + 2 * 3.0);
    }

    @Test
    void deepChainsNeedNoRecursion() {
        Variable x = Variable.leaf(Tensor.vector(1.0, 2.0));
        Variable y = x;
        for (int i = 0; i < 200_000; i++) {
            y = y.add(0.5);
        }
        Variable g = Autodiff.grad(y.sum(), x, false);
        assertThat(g.value().maxAbsDiff(Tensor.ones(2))).isZero();
    }

    @Test
    void graphIsGarbageOnceUnreachable() throws InterruptedException {
        Variable x = Variable.leaf(Tensor.randn(rng, 100));
        WeakReference<Variable> intermediate = new WeakReference<>(x.exp());
        Variable kept = intermediate.get().sum();
        Autodiff.grad(kept, x, true);
        kept = null;
        for (int i = 0; i < 50 && intermediate.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(intermediate.get()).isNull();
        assertThat(kept).isNull();
    }

    @Test
    void shapeMismatchNamesTheOperationAndBothShapes() {
        Variable a = Variable.leaf(Tensor.zeros(2, 3));
        Variable b = Variable.leaf(Tensor.zeros(4));
        assertThatThrownBy(() -> a.add(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add").hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> a.matmul(Variable.leaf(Tensor.zeros(2, 3))))
                .hasMessageContaining("matmul").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Autodiff.vjp(a.exp(), List.of(a), Variable.constant(Tensor.zeros(3, 2)), false, false))
                .hasMessageContaining("[3, 2]").hasMessageContaining("[2, 3]");
    }

    @Test
    void functionalTransformsRecordExactlyWhenTheArgumentRequiresGrad() {
        Tensor t = Tensor.vector(0.3, 0.6);
        assertThat(Autodiff.grad(v -> v.sin().sum(), Variable.constant(t)).requiresGrad()).isFalse();
        Variable leaf = Variable.leaf(t);
        Variable g = Autodiff.grad(v -> v.sin().sum(), leaf);
        assertThat(g.requiresGrad()).isTrue();
        // and the recorded gradient differentiates again: d/dx Σ cos x = −sin x
        assertThat(Autodiff.grad(g.sum(), leaf, false).value().maxAbsDiff(t.sin().neg())).isZero();
        try (ModeScope off = GradMode.disabled()) {
            Variable h = Autodiff.grad(v -> v.sin().sum(), leaf);
            assertThat(h.requiresGrad()).isFalse();
            assertThat(h.value().maxAbsDiff(t.cos())).isZero();
        }
    }

    @Test
    void threadsSharingLeavesGetTheSameGradients() throws Exception {
        Variable w1 = Variable.leaf(Tensor.randn(rng, 3, 5));
        Variable w2 = Variable.leaf(Tensor.randn(rng, 5, 2));
        Variable x = Variable.constant(Tensor.randn(rng, 4, 3));
        List<Variable> expected = Autodiff.grad(
                Autodiff.grad(smallNet(w1, w2, x), w1, true).square().sum(), List.of(w1, w2), false, false);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Variable>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> Autodiff.grad(
                        Autodiff.grad(smallNet(w1, w2, x), w1, true).square().sum(), List.of(w1, w2), false, false)));
            }
            for (Future<List<Variable>> f : futures) {
                List<Variable> got = f.get();
                assertThat(got.get(0).value().maxAbsDiff(expected.get(0).value())).isZero();
                assertThat(got.get(1).value().maxAbsDiff(expected.get(1).value())).isZero();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void backwardDoesNotWalkTheGraphBelowAnIntermediateTarget() {
        // Differentiating with respect to φ must not depend on how φ was produced.
        Variable theta = Variable.leaf(Tensor.vector(1.0, 2.0));
        Variable phi = theta;
        for (int i = 0; i < 1000; i++) {
            phi = phi.mul(1.0001).sin();
        }
        Variable loss = phi.square().sum();
        assertThat(Autodiff.grad(loss, phi, false).value().maxAbsDiff(phi.value().mul(2.0))).isZero();
    }
}
