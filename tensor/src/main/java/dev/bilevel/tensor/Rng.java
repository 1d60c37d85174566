package dev.bilevel.tensor;

import java.util.SplittableRandom;

/**
 * A seeded, splittable pseudo-random stream (SplitMix64, via {@link SplittableRandom}).
 *
 * <p>Determinism contract: the same seed gives the same sequence on every JVM. Independent
 * streams for tasks, trials or threads are derived with {@link #fork(long)}, which depends only
 * on this stream's seed and the key, never on how many numbers were drawn before, so the order
 * in which threads fork their streams does not change any result.
 *
 * <p>Not thread-safe: give each thread its own fork.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final SplittableRandom random;
    private double spareNormal = Double.NaN;

    /** A stream determined by {@code seed}. */
    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this stream was created with. */
    public long seed() {
        return seed;
    }

    /**
     * An independent stream named by {@code key}: a function of (seed, key) only.
     *
     * @param key for example a task index or a trial number
     */
    public Rng fork(long key) {
        return new Rng(mix64(seed + GOLDEN_GAMMA * (key + 1)) ^ mix64(key * GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
    }

    /** A uniform double in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** A uniform double in [low, high). */
    public double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** A uniform int in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A uniform long. */
    public long nextLong() {
        return random.nextLong();
    }

    /** A standard normal variate (Marsaglia's polar method, deterministic for the seed). */
    public double normal() {
        if (!Double.isNaN(spareNormal)) {
            double v = spareNormal;
            spareNormal = Double.NaN;
            return v;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareNormal = v * m;
        return u * m;
    }

    /** Fisher–Yates shuffle of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
