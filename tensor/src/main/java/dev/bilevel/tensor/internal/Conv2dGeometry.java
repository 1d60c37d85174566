package dev.bilevel.tensor.internal;

import java.util.Arrays;

/**
 * The sizes of one 2-D convolution: input {@code [n, c, h, w]} (NCHW), weight
 * {@code [o, c, kh, kw]} (OIHW), output {@code [n, o, oh, ow]} with
 * {@code oh = (h + 2·ph − kh) / sh + 1} and {@code ow = (w + 2·pw − kw) / sw + 1} (floor division),
 * zero padding {@code ph, pw} and strides {@code sh, sw}.
 *
 * <p>The factories validate their shapes and throw an {@link IllegalArgumentException} that names
 * the operation and every shape involved.
 *
 * @param n batch size
 * @param c input channels
 * @param h input height
 * @param w input width
 * @param o output channels
 * @param kh kernel height
 * @param kw kernel width
 * @param sh vertical stride
 * @param sw horizontal stride
 * @param ph vertical zero padding (each side)
 * @param pw horizontal zero padding (each side)
 * @param oh output height
 * @param ow output width
 */
public record Conv2dGeometry(int n, int c, int h, int w, int o, int kh, int kw,
                             int sh, int sw, int ph, int pw, int oh, int ow) {

    /** Output dimensions {@code [n, o, oh, ow]}. */
    public int[] outputDims() {
        return new int[] {n, o, oh, ow};
    }

    /** Input dimensions {@code [n, c, h, w]}. */
    public int[] inputDims() {
        return new int[] {n, c, h, w};
    }

    /** Weight dimensions {@code [o, c, kh, kw]}. */
    public int[] weightDims() {
        return new int[] {o, c, kh, kw};
    }

    /**
     * The geometry of {@code conv2d(input, weight)}.
     *
     * @param op the public operation's name, for messages
     */
    public static Conv2dGeometry ofForward(String op, int[] input, int[] weight, int sh, int sw, int ph, int pw) {
        String shapes = "input " + Arrays.toString(input) + ", weight " + Arrays.toString(weight);
        if (input.length != 4 || weight.length != 4) {
            throw new IllegalArgumentException(op + " needs a rank-4 NCHW input and a rank-4 OIHW weight, got " + shapes);
        }
        if (input[1] != weight[1]) {
            throw new IllegalArgumentException(op + ": input has " + input[1] + " channels but the weight expects "
                    + weight[1] + " (" + shapes + ")");
        }
        return make(op, shapes, input[0], input[1], input[2], input[3], weight[0], weight[2], weight[3], sh, sw, ph, pw);
    }

    /**
     * The geometry of a convolution whose input and weight dimensions are given and whose output
     * must have dimensions {@code output} (the gradient operations).
     *
     * @param op the public operation's name, for messages
     */
    public static Conv2dGeometry ofGradient(String op, int[] input, int[] weight, int[] output,
                                            int sh, int sw, int ph, int pw) {
        String shapes = "input " + Arrays.toString(input) + ", weight " + Arrays.toString(weight)
                + ", gradOut " + Arrays.toString(output);
        if (input.length != 4 || weight.length != 4 || output.length != 4) {
            throw new IllegalArgumentException(op + " needs rank-4 shapes, got " + shapes);
        }
        if (input[1] != weight[1]) {
            throw new IllegalArgumentException(op + ": input has " + input[1] + " channels but the weight expects "
                    + weight[1] + " (" + shapes + ")");
        }
        Conv2dGeometry g = make(op, shapes, input[0], input[1], input[2], input[3], weight[0], weight[2], weight[3],
                sh, sw, ph, pw);
        if (!Arrays.equals(g.outputDims(), output)) {
            throw new IllegalArgumentException(op + ": gradOut should have shape " + Arrays.toString(g.outputDims())
                    + " (" + shapes + ", stride " + sh + "x" + sw + ", padding " + ph + "x" + pw + ")");
        }
        return g;
    }

    private static Conv2dGeometry make(String op, String shapes, int n, int c, int h, int w, int o, int kh, int kw,
                                       int sh, int sw, int ph, int pw) {
        if (sh < 1 || sw < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException(op + ": strides must be >= 1 and paddings >= 0, got stride " + sh + "x"
                    + sw + ", padding " + ph + "x" + pw + " (" + shapes + ")");
        }
        if (kh < 1 || kw < 1 || h + 2 * ph < kh || w + 2 * pw < kw) {
            throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " does not fit the padded input "
                    + (h + 2 * ph) + "x" + (w + 2 * pw) + " (" + shapes + ")");
        }
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        return new Conv2dGeometry(n, c, h, w, o, kh, kw, sh, sw, ph, pw, oh, ow);
    }
}
