package dev.bilevel.tensor.internal;

import java.util.Arrays;

/**
 * Max- and average-pooling over the last two axes of an NCHW array, with a square window of side
 * {@code k}, stride {@code s} and no padding: output {@code [n, c, (h−k)/s+1, (w−k)/s+1]}.
 *
 * <p>Max-pooling is expressed as a gather: {@link #maxIndices} gives, for each output element,
 * the row-major flat position in the input of the largest element of its window (the first one
 * on ties; a NaN counts as the largest, as in {@link Reductions}). Every method returns a fresh
 * array and modifies none of its inputs.
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * Output dimensions of pooling {@code dims} with window {@code k} and stride {@code s}.
     *
     * @param op the public operation's name, for messages
     * @throws IllegalArgumentException naming the operation and shape when they do not fit
     */
    public static int[] outputDims(String op, int[] dims, int k, int s) {
        if (dims.length != 4) {
            throw new IllegalArgumentException(op + " needs a rank-4 NCHW input, got shape " + Arrays.toString(dims));
        }
        if (k < 1 || s < 1) {
            throw new IllegalArgumentException(op + ": kernel and stride must be >= 1, got kernel " + k + ", stride "
                    + s + " for shape " + Arrays.toString(dims));
        }
        if (dims[2] < k || dims[3] < k) {
            throw new IllegalArgumentException(op + ": kernel " + k + "x" + k + " does not fit the input of shape "
                    + Arrays.toString(dims));
        }
        return new int[] {dims[0], dims[1], (dims[2] - k) / s + 1, (dims[3] - k) / s + 1};
    }

    /** Flat input positions of the window maxima, one per output element, in output order. */
    public static int[] maxIndices(double[] x, int[] dims, int k, int s) {
        int[] od = outputDims("maxPool2d", dims, k, s);
        int h = dims[2];
        int w = dims[3];
        int oh = od[2];
        int ow = od[3];
        int planes = dims[0] * dims[1];
        int[] idx = new int[planes * oh * ow];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int best = plane + oy * s * w + ox * s;
                    double bv = x[best];
                    for (int ki = 0; ki < k && !Double.isNaN(bv); ki++) {
                        int row = plane + (oy * s + ki) * w + ox * s;
                        for (int kj = 0; kj < k; kj++) {
                            double v = x[row + kj];
                            if (v > bv || Double.isNaN(v)) {
                                bv = v;
                                best = row + kj;
                                if (Double.isNaN(v)) {
                                    break;
                                }
                            }
                        }
                    }
                    idx[o++] = best;
                }
            }
        }
        return idx;
    }

    /** Mean of each window. */
    public static double[] average(double[] x, int[] dims, int k, int s) {
        int[] od = outputDims("avgPool2d", dims, k, s);
        int h = dims[2];
        int w = dims[3];
        int oh = od[2];
        int ow = od[3];
        int planes = dims[0] * dims[1];
        double scale = 1.0 / (k * k);
        double[] out = new double[planes * oh * ow];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double sum = 0;
                    for (int ki = 0; ki < k; ki++) {
                        int row = plane + (oy * s + ki) * w + ox * s;
                        for (int kj = 0; kj < k; kj++) {
                            sum += x[row + kj];
                        }
                    }
                    out[o++] = sum * scale;
                }
            }
        }
        return out;
    }

    /**
     * The adjoint of {@link #average}: each output gradient spread evenly, {@code g/k²}, over its
     * window of an input of dimensions {@code inputDims} (overlapping windows add).
     */
    public static double[] averageAdjoint(double[] g, int[] inputDims, int k, int s) {
        int[] od = outputDims("avgPool2dAdjoint", inputDims, k, s);
        int h = inputDims[2];
        int w = inputDims[3];
        int oh = od[2];
        int ow = od[3];
        int planes = inputDims[0] * inputDims[1];
        double scale = 1.0 / (k * k);
        double[] dx = new double[planes * h * w];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            int plane = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double v = g[o++] * scale;
                    for (int ki = 0; ki < k; ki++) {
                        int row = plane + (oy * s + ki) * w + ox * s;
                        for (int kj = 0; kj < k; kj++) {
                            dx[row + kj] += v;
                        }
                    }
                }
            }
        }
        return dx;
    }
}
