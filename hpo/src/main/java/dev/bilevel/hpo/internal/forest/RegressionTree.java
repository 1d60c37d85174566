package dev.bilevel.hpo.internal.forest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A CART regression tree (Breiman et al., "Classification and Regression Trees", 1984): each split
 * {@code x_f ≤ t} minimizes the summed squared error of the two children over all features (or a
 * random subset of {@code maxFeatures}) and all midpoints between distinct values. Nodes are stored
 * in flat arrays; leaves have {@code feature == −1}.
 *
 * <p>Immutable after construction.
 */
public final class RegressionTree {
  private int size;
  private int[] feature = new int[16];
  private double[] threshold = new double[16];
  private int[] left = new int[16];
  private int[] right = new int[16];
  private double[] value = new double[16];
  private double[] weightedImpurityDecrease = new double[16];

  /**
   * Grows a tree on the rows {@code rows} (repeats allowed: a bootstrap sample).
   *
   * <p>Each feature's sample order is sorted once; a split stably partitions every feature's
   * segment, so growing costs {@code O(m·d·depth)} after the {@code O(d·m log m)} presort.
   *
   * @param x {@code n × d} inputs, row-major (read during construction only)
   * @param d the number of features
   * @param y targets
   * @param rows the training rows
   * @param maxDepth depth limit
   * @param minSamplesSplit fewest samples a node needs to be split
   * @param minSamplesLeaf fewest samples in each child
   * @param maxFeatures features tried per split (≤ d)
   * @param rng generator for the feature subsets
   */
  public RegressionTree(
      double[] x, int d, double[] y, int[] rows, int maxDepth, int minSamplesSplit,
      int minSamplesLeaf, int maxFeatures, SplittableRandom rng) {
    new Grower(x, d, y, rows, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures, rng)
        .grow(0, rows.length, 0);
  }

  /** The state needed while growing: presorted sample orders and partition buffers. */
  private final class Grower {
    private final double[] x;
    private final int d;
    private final double[] y;
    private final int maxDepth;
    private final int minSamplesSplit;
    private final int minSamplesLeaf;
    private final int maxFeatures;
    private final SplittableRandom rng;
    private final int total;
    private final int[] rows;
    private final int[][] sorted;
    private final boolean[] goesLeft;
    private final int[] buffer;

    Grower(
        double[] x, int d, double[] y, int[] rows, int maxDepth, int minSamplesSplit,
        int minSamplesLeaf, int maxFeatures, SplittableRandom rng) {
      this.x = x;
      this.d = d;
      this.y = y;
      this.maxDepth = maxDepth;
      this.minSamplesSplit = minSamplesSplit;
      this.minSamplesLeaf = minSamplesLeaf;
      this.maxFeatures = maxFeatures;
      this.rng = rng;
      this.total = rows.length;
      this.rows = rows.clone();
      int m = rows.length;
      this.sorted = new int[d][];
      Integer[] order = new Integer[m];
      for (int f = 0; f < d; f++) {
        for (int i = 0; i < m; i++) {
          order[i] = i;
        }
        final int feature = f;
        Arrays.sort(order, (p, q) -> Double.compare(key(p, feature), key(q, feature)));
        sorted[f] = new int[m];
        for (int i = 0; i < m; i++) {
          sorted[f][i] = order[i];
        }
      }
      this.goesLeft = new boolean[m];
      this.buffer = new int[m];
    }

    private double key(int sample, int feature) {
      return x[rows[sample] * d + feature];
    }

    private int grow(int lo, int hi, int depth) {
      int node = newNode();
      int m = hi - lo;
      double sum = 0;
      double sumSq = 0;
      int[] any = sorted[0];
      for (int i = lo; i < hi; i++) {
        double v = y[rows[any[i]]];
        sum += v;
        sumSq += v * v;
      }
      value[node] = sum / m;
      double sse = Math.max(sumSq - sum * sum / m, 0);
      feature[node] = -1;
      if (depth >= maxDepth || m < minSamplesSplit || m < 2 * minSamplesLeaf || sse <= 1e-14 * m) {
        return node;
      }
      int[] features = featureOrder();
      double bestGain = 1e-12 * Math.max(sse, 1e-300);
      int bestFeature = -1;
      double bestThreshold = 0;
      for (int k = 0; k < maxFeatures; k++) {
        int f = features[k];
        int[] order = sorted[f];
        double leftSum = 0;
        for (int i = lo; i < hi - 1; i++) {
          leftSum += y[rows[order[i]]];
          int nl = i + 1 - lo;
          int nr = m - nl;
          double a = key(order[i], f);
          double b = key(order[i + 1], f);
          if (a == b || nl < minSamplesLeaf || nr < minSamplesLeaf) {
            continue;
          }
          double rightSum = sum - leftSum;
          // SSE(parent) − SSE(children) = Σl²/nl + Σr²/nr − Σ²/m.
          double gain = leftSum * leftSum / nl + rightSum * rightSum / nr - sum * sum / m;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestThreshold = 0.5 * (a + b);
          }
        }
      }
      if (bestFeature < 0) {
        return node;
      }
      int nl = 0;
      for (int i = lo; i < hi; i++) {
        int sample = any[i];
        goesLeft[sample] = key(sample, bestFeature) <= bestThreshold;
        if (goesLeft[sample]) {
          nl++;
        }
      }
      for (int f = 0; f < d; f++) {
        int[] order = sorted[f];
        int l = lo;
        int r = 0;
        for (int i = lo; i < hi; i++) {
          if (goesLeft[order[i]]) {
            order[l++] = order[i];
          } else {
            buffer[r++] = order[i];
          }
        }
        System.arraycopy(buffer, 0, order, l, r);
      }
      feature[node] = bestFeature;
      threshold[node] = bestThreshold;
      weightedImpurityDecrease[node] = bestGain / total;
      int leftChild = grow(lo, lo + nl, depth + 1);
      int rightChild = grow(lo + nl, hi, depth + 1);
      left[node] = leftChild;
      right[node] = rightChild;
      return node;
    }

    private int[] featureOrder() {
      int[] f = new int[d];
      for (int i = 0; i < d; i++) {
        f[i] = i;
      }
      if (maxFeatures < d) {
        for (int i = 0; i < maxFeatures; i++) {
          int j = i + rng.nextInt(d - i);
          int t = f[i];
          f[i] = f[j];
          f[j] = t;
        }
      }
      return f;
    }
  }

  private int newNode() {
    if (size == feature.length) {
      int c = size * 2;
      feature = Arrays.copyOf(feature, c);
      threshold = Arrays.copyOf(threshold, c);
      left = Arrays.copyOf(left, c);
      right = Arrays.copyOf(right, c);
      value = Arrays.copyOf(value, c);
      weightedImpurityDecrease = Arrays.copyOf(weightedImpurityDecrease, c);
    }
    return size++;
  }

  /**
   * The number of nodes.
   *
   * @return the node count; the root is node 0
   */
  public int nodeCount() {
    return size;
  }

  /**
   * The split feature of a node.
   *
   * @param node the node
   * @return the feature, or −1 for a leaf
   */
  public int feature(int node) {
    return feature[node];
  }

  /**
   * The split threshold of an inner node ({@code x_f ≤ t} goes left).
   *
   * @param node the node
   * @return the threshold
   */
  public double threshold(int node) {
    return threshold[node];
  }

  /**
   * The left child of an inner node.
   *
   * @param node the node
   * @return the child
   */
  public int left(int node) {
    return left[node];
  }

  /**
   * The right child of an inner node.
   *
   * @param node the node
   * @return the child
   */
  public int right(int node) {
    return right[node];
  }

  /**
   * The mean target of a node's training samples (the prediction at a leaf).
   *
   * @param node the node
   * @return the value
   */
  public double value(int node) {
    return value[node];
  }

  /**
   * The impurity decrease of a split weighted by the node's share of samples: {@code (SSE(node) −
   * SSE(children))/N} (scikit-learn's {@code feature_importances_} numerator).
   *
   * @param node the node
   * @return the weighted decrease, 0 for a leaf
   */
  public double weightedImpurityDecrease(int node) {
    return weightedImpurityDecrease[node];
  }

  /**
   * Predicts one point.
   *
   * @param point the features
   * @return the leaf value
   */
  public double predict(double[] point) {
    int node = 0;
    while (feature[node] >= 0) {
      node = point[feature[node]] <= threshold[node] ? left[node] : right[node];
    }
    return value[node];
  }
}
