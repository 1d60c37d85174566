package dev.bilevel.tensor;

/** Seeded random tensors and plain inner products for the tests of this package. */
final class Fixtures {
    private Fixtures() {
    }

    /** Standard normal values of the given shape, from a stream seeded by {@code seed}. */
    static Tensor randn(long seed, int... dims) {
        return Tensor.randn(new Rng(seed), dims);
    }

    /** {@code Σ a[i]·b[i]} over the row-major values of two tensors of equal size. */
    static double inner(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new AssertionError("inner product of shapes " + a.shape() + " and " + b.shape());
        }
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    /** {@code Σ |a[i]·b[i]|}: the scale against which rounding in an inner product is judged. */
    static double absInner(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += Math.abs(a.getFlat(i) * b.getFlat(i));
        }
        return s;
    }

    /** The multi-index of row-major position {@code flat} in {@code dims}. */
    static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    /** The element of {@code t} that NumPy broadcasting pairs with output index {@code outIdx}. */
    static double broadcastGet(Tensor t, int[] outIdx) {
        int r = t.rank();
        int[] idx = new int[r];
        for (int d = 0; d < r; d++) {
            int o = outIdx[outIdx.length - r + d];
            idx[d] = t.dim(d) == 1 ? 0 : o;
        }
        return r == 0 ? t.item() : t.get(idx);
    }

    /** A random shape of rank {@code 0..maxRank} with dimensions in {@code [0, maxDim]}, mostly non-empty. */
    static int[] randomDims(java.util.SplittableRandom rnd, int maxRank, int maxDim) {
        int[] d = new int[rnd.nextInt(maxRank + 1)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(maxDim);
        }
        return d;
    }
}
