package dev.bilevel.hypergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The projections against the characterization of the Euclidean projection onto a closed convex
 * set C: p = Π_C(v) iff p ∈ C and ⟨v − p, q − p⟩ ≤ 0 for every q ∈ C (the variational inequality;
 * Bauschke &amp; Combettes, <i>Convex Analysis and Monotone Operator Theory</i>, Thm. 3.16), checked
 * on seeded random v and random points q of C.
 */
class ProjectionTest {
    private static final int N = 7;

    static Stream<Arguments> sets() {
        return Stream.of(Arguments.of(new Projection.Box(-0.5, 0.8), 1L), Arguments.of(Projection.atLeast(0), 2L),
                Arguments.of(new Projection.Simplex(1.0), 3L), Arguments.of(new Projection.Simplex(2.5), 4L),
                Arguments.of(new Projection.L1Ball(1.0), 5L), Arguments.of(new Projection.L1Ball(10.0), 6L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void satisfiesTheVariationalInequality(Projection c, long seed) {
        Rng rng = new Rng(seed);
        for (int trial = 0; trial < 20; trial++) {
            double[] v = Tensor.randn(rng, N).mul(2).toArray();
            double[] p = c.project(Tensor.of(v, N)).toArray();
            assertThat(member(c, p)).as("projection lies in the set").isTrue();
            for (int k = 0; k < 50; k++) {
                double[] q = sample(c, rng);
                double s = 0;
                for (int i = 0; i < N; i++) {
                    s += (v[i] - p[i]) * (q[i] - p[i]);
                }
                assertThat(s).isLessThanOrEqualTo(1e-12);
            }
        }
    }

    @Test
    void simplexExample() {
        assertThat(new Projection.Simplex(1).project(Tensor.vector(0.5, 0.2, 0.9)).toArray())
                .containsExactly(new double[] {0.3, 0.0, 0.7}, within(1e-15));
    }

    private static boolean member(Projection c, double[] p) {
        double sum = 0;
        double l1 = 0;
        for (double x : p) {
            sum += x;
            l1 += Math.abs(x);
        }
        if (c instanceof Projection.Box b) {
            for (double x : p) {
                if (x < b.lo() || x > b.hi()) {
                    return false;
                }
            }
            return true;
        } else if (c instanceof Projection.Simplex s) {
            for (double x : p) {
                if (x < 0) {
                    return false;
                }
            }
            return Math.abs(sum - s.radius()) < 1e-12;
        } else if (c instanceof Projection.L1Ball b) {
            return l1 <= b.radius() + 1e-12;
        }
        return true;
    }

    private static double[] sample(Projection c, Rng rng) {
        double[] q = new double[N];
        if (c instanceof Projection.Box b) {
            double hi = Double.isInfinite(b.hi()) ? b.lo() + 10 : b.hi();
            for (int i = 0; i < N; i++) {
                q[i] = rng.uniform(b.lo(), hi);
            }
            return q;
        }
        double total = 0;
        for (int i = 0; i < N; i++) {
            q[i] = -Math.log(1 - rng.nextDouble());
            total += q[i];
        }
        double r = c instanceof Projection.Simplex s ? s.radius() : ((Projection.L1Ball) c).radius() * rng.nextDouble();
        for (int i = 0; i < N; i++) {
            q[i] *= r / total;
            if (c instanceof Projection.L1Ball && rng.nextDouble() < 0.5) {
                q[i] = -q[i];
            }
        }
        return q;
    }
}
