package dev.bilevel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The conv-4 backbone's shapes and its two explicit batch-normalization behaviours. */
class Conv4Test {
    private static final Tensor SUPPORT = Tensor.uniform(new Rng(1), 0, 1, 4, 1, 16, 16);
    private static final Tensor QUERY = Tensor.uniform(new Rng(2), 0, 1, 3, 1, 16, 16);

    private static Tensor query(Conv4 net, Params p, Tensor q) {
        return net.applyQuery(p, Variable.constant(SUPPORT), Variable.constant(q)).value();
    }

    @Test
    void headAndEmbeddingShapes() {
        Conv4 head = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        Params p = head.init(new Rng(0));
        assertThat(p.names()).contains("0.conv.weight", "3.bn.bias", "head.weight");
        assertThat(head.apply(p, Variable.constant(SUPPORT)).shape().dims()).containsExactly(4, 5);
        Conv4 emb = new Conv4(1, 28, 8, 0, Conv4.BatchNormMode.SUPPORT_STATISTICS);
        assertThat(emb.features()).isEqualTo(8);
        assertThatThrownBy(() -> head.apply(p, Variable.constant(Tensor.zeros(2, 1, 28, 28))))
                .hasMessageContaining("is not [N, 1, 16, 16]");
    }

    /**
     * With support statistics a query's output does not depend on the other queries (oracle: the
     * same query scored alone); transductively it does.
     */
    @Test
    void supportStatisticsMakeQueriesIndependentAndTransductiveDoesNot() {
        Conv4 inductive = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.SUPPORT_STATISTICS);
        Params p = inductive.init(new Rng(0));
        Tensor all = query(inductive, p, QUERY);
        Tensor alone = query(inductive, p, QUERY.slice(0, 1, 2));
        assertThat(all.slice(0, 1, 2).maxAbsDiff(alone)).isLessThan(1e-12);
        // And the support itself is normalized exactly as apply() does.
        Tensor supportOut = inductive.applyQuery(p, Variable.constant(SUPPORT), Variable.constant(SUPPORT)).value();
        assertThat(supportOut.maxAbsDiff(inductive.apply(p, Variable.constant(SUPPORT)).value())).isLessThan(1e-12);

        Conv4 transductive = new Conv4(1, 16, 8, 5, Conv4.BatchNormMode.TRANSDUCTIVE);
        Tensor tAll = query(transductive, p, QUERY);
        Tensor tAlone = query(transductive, p, QUERY.slice(0, 1, 3));
        assertThat(tAll.slice(0, 1, 3).maxAbsDiff(tAlone)).isGreaterThan(1e-6);
    }
}
