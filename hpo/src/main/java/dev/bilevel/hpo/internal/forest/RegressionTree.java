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

  private final double[] x;
  private final int d;
  private final double[] y;
  private final int maxDepth;
  private final int minSamplesSplit;
  private final int minSamplesLeaf;
  private final int maxFeatures;
  private final SplittableRandom rng;
  private final int total;

  /**
   * Grows a tree on the rows {@code rows} (repeats allowed: a bootstrap sample).
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
    this.x = x;
    this.d = d;
    this.y = y;
    this.maxDepth = maxDepth;
    this.minSamplesSplit = minSamplesSplit;
    this.minSamplesLeaf = minSamplesLeaf;
    this.maxFeatures = maxFeatures;
    this.rng = rng;
    this.total = rows.length;
    grow(rows.clone(), 0);
  }

  private int grow(int[] rows, int depth) {
    int node = newNode();
    int m = rows.length;
    double sum = 0;
    double sumSq = 0;
    for (int r : rows) {
      sum += y[r];
      sumSq += y[r] * y[r];
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
    Integer[] order = new Integer[m];
    double[] keys = new double[m];
    for (int k = 0; k < maxFeatures; k++) {
      int f = features[k];
      for (int i = 0; i < m; i++) {
        order[i] = i;
        keys[i] = x[rows[i] * d + f];
      }
      Arrays.sort(order, (p, q) -> Double.compare(keys[p], keys[q]));
      double leftSum = 0;
      for (int i = 0; i < m - 1; i++) {
        leftSum += y[rows[order[i]]];
        int nl = i + 1;
        int nr = m - nl;
        double a = keys[order[i]];
        double b = keys[order[i + 1]];
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
    for (int r : rows) {
      if (x[r * d + bestFeature] <= bestThreshold) {
        nl++;
      }
    }
    int[] lrows = new int[nl];
    int[] rrows = new int[m - nl];
    int li = 0;
    int ri = 0;
    for (int r : rows) {
      if (x[r * d + bestFeature] <= bestThreshold) {
        lrows[li++] = r;
      } else {
        rrows[ri++] = r;
      }
    }
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    weightedImpurityDecrease[node] = bestGain / total;
    int l = grow(lrows, depth + 1);
    int r = grow(rrows, depth + 1);
    left[node] = l;
    right[node] = r;
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
