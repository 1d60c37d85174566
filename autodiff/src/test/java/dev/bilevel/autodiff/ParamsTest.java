package dev.bilevel.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
    private final Rng rng = new Rng(3);

    private Params sample() {
        return Params.empty()
                .with("w", Variable.leaf(Tensor.randn(rng, 2, 3)))
                .with("b", Variable.leaf(Tensor.randn(rng, 3)))
                .with("s", Variable.leaf(Tensor.scalar(0.5)));
    }

    @Test
    void keepsInsertionOrderAndReplacesInPlace() {
        Params p = sample();
        assertThat(p.names()).containsExactly("w", "b", "s");
        Variable nb = Variable.constant(Tensor.zeros(3));
        Params q = p.with("b", nb);
        assertThat(q.names()).containsExactly("w", "b", "s");
        assertThat(q.get("b")).isSameAs(nb);
        assertThat(p.get("b")).isNotSameAs(nb);
        assertThat(p.numel()).isEqualTo(10);
        assertThat(p.toString()).isEqualTo("Params{w=[2, 3], b=[3], s=[]}");
    }

    @Test
    void ofMapAndListsAgree() {
        Params p = sample();
        Map<String, Variable> m = new LinkedHashMap<>();
        for (String n : p.names()) {
            m.put(n, p.get(n));
        }
        assertThat(Params.of(m).values()).containsExactlyElementsOf(p.values());
        assertThat(Params.of(p.names(), p.values()).names()).containsExactlyElementsOf(p.names());
        assertThatThrownBy(() -> Params.of(List.of("a", "a"), List.of(p.get("s"), p.get("s"))))
                .hasMessageContaining("'a' repeats");
    }

    @Test
    void flattenAndUnflattenAreInverse() {
        Params p = sample();
        Tensor flat = p.flattenValues();
        assertThat(flat.shape().dims()).containsExactly(10);
        assertThat(p.flatten().value().maxAbsDiff(flat)).isZero();
        Params back = p.unflatten(flat);
        for (String n : p.names()) {
            assertThat(back.get(n).value().maxAbsDiff(p.get(n).value())).isZero();
            assertThat(back.get(n).requiresGrad()).isFalse();
        }
        assertThatThrownBy(() -> p.unflatten(Tensor.zeros(9))).hasMessageContaining("10 elements");
    }

    @Test
    void unflattenIsDifferentiable() {
        Params p = sample();
        Variable flat = Variable.leaf(p.flattenValues());
        Params q = p.unflatten(flat);
        Variable loss = q.get("w").square().sum().add(q.get("b").sum().mul(q.get("s")).sum());
        Variable g = Autodiff.grad(loss, flat, false);
        Params viaParams = Autodiff.grad(loss, q, false, false);
        assertThat(g.value().maxAbsDiff(viaParams.flattenValues())).isZero();
    }

    @Test
    void mapZipLeavesAndDetach() {
        Params p = sample();
        Params g = p.map(v -> v.mul(2.0));
        Params step = p.zip(g, (a, b) -> a.sub(b.mul(0.25)));
        assertThat(step.flattenValues().maxAbsDiff(p.flattenValues().mul(0.5))).isZero();
        assertThat(p.detach().values()).allMatch(v -> !v.requiresGrad());
        Params fresh = p.leaves();
        assertThat(fresh.values()).allMatch(v -> v.requiresGrad() && v.isLeaf());
        assertThat(fresh.get("w")).isNotSameAs(p.get("w"));
        assertThat(p.map((name, v) -> name.equals("s") ? v : v.detach()).get("s").requiresGrad()).isTrue();
        assertThatThrownBy(() -> p.zip(Params.empty(), Variable::add)).hasMessageContaining("differ");
        assertThatThrownBy(() -> p.get("nope")).hasMessageContaining("nope").hasMessageContaining("[w, b, s]");
    }

    @Test
    void valueAndGradOverParams() {
        Params p = sample();
        ValueAndGrad<Params> r = Autodiff.valueAndGrad(q -> q.get("w").sum().mul(q.get("s")), p.detach());
        assertThat(r.grad().names()).containsExactly("w", "b", "s");
        assertThat(r.grad().get("w").value().maxAbsDiff(Tensor.full(p.get("w").shape(), 0.5))).isZero();
        assertThat(r.grad().get("b").value().maxAbsDiff(Tensor.zeros(3))).isZero();
        assertThat(r.grad().get("s").item()).isEqualTo(p.get("w").value().sum().item());
        assertThat(r.value().item()).isEqualTo(p.get("w").value().sum().item() * 0.5);
    }
}
