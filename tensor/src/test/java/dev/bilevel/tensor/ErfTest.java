package dev.bilevel.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error function against reference values computed with mpmath 1.3.0 at 40 significant
 * digits ({@code mpmath.mp.dps = 40; mpmath.nstr(mpmath.erf(mpmath.mpf(x)), 20)}), printed here to
 * 20 digits. The points cover each branch of Cody's approximation: |x| ≤ 0.46875, up to 4, and
 * beyond.
 */
class ErfTest {

    @ParameterizedTest(name = "erf({0})")
    @CsvSource({
        "1e-10, 1.1283791670955125739e-10",
        "0.01, 0.011283415555849616916",
        "0.1, 0.11246291601828489220",
        "0.25, 0.27632639016823693299",
        "0.46875, 0.49261347321793799159",
        "0.5, 0.52049987781304653768",
        "1, 0.84270079294971486934",
        "1.5, 0.96610514647531072707",
        "2, 0.99532226501895273416",
        "3, 0.99997790950300141456",
        "4, 0.99999998458274209972",
        "4.5, 0.99999999980338395585",
        "5, 0.99999999999846254021",
        "6, 0.99999999999999997848",
        "-0.5, -0.52049987781304653768",
        "-1.5, -0.96610514647531072707",
        "-3, -0.99997790950300141456"})
    void matchesMpmathReferenceValues(double x, double expected) {
        double got = Tensor.scalar(x).erf().item();
        assertThat(Math.abs(got - expected)).isLessThanOrEqualTo(2e-15 * Math.abs(expected));
    }

    @Test
    void isOddSaturatesAndKeepsZeroAndNaN() {
        Tensor x = Tensor.vector(0.0, 30.0, -30.0, Double.NaN, 0.3, -0.3);
        double[] y = x.erf().toArray();
        assertThat(y[0]).isEqualTo(0.0);
        assertThat(y[1]).isEqualTo(1.0);
        assertThat(y[2]).isEqualTo(-1.0);
        assertThat(y[3]).isNaN();
        assertThat(y[5]).isEqualTo(-y[4]);
    }
}
