package dev.bilevel.meta;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N-way K-shot classification tasks over any {@link LabeledDataset} (Vinyals et al., "Matching
 * Networks for One Shot Learning", NeurIPS 2016; the protocol of Finn et al. 2017 and Snell et al.
 * 2017): a task draws N distinct classes from its class set, then K support and Q query examples
 * of each class without replacement, and relabels the chosen classes 0..N−1 in the order drawn,
 * so labels carry no information across tasks.
 *
 * <p><b>Rotations as classes.</b> With {@code rotations = true} every class c yields four classes
 * (c, r·90°), r = 0..3, whose images are c's rotated counterclockwise (Santoro et al. 2016, as
 * used on Omniglot by Finn et al.); inputs must then be square images {@code [n, H, W]} or
 * {@code [n, C, H, W]}.
 *
 * <p>Support and query sets are ordered class by class ({@code [N·K, ...]} and {@code [N·Q, ...]}).
 * Draw order from the task's stream: N classes (a permutation prefix), their rotations, then for
 * each chosen class a permutation of its examples.
 *
 * <pre>{@code
 * FewShotTasks train = new FewShotTasks(data, split.train(), 5, 1, 15, false);   // 5-way 1-shot
 * Task t = train.sample(new Rng(0));
 * }</pre>
 */
public final class FewShotTasks implements TaskSampler {
    private final LabeledDataset data;
    private final int[] classes;
    private final int[][] indices;
    private final int ways;
    private final int shots;
    private final int queries;
    private final boolean rotations;

    /**
     * @param data      the examples
     * @param classes   the classes tasks may use (e.g. one part of a {@link ClassSplit})
     * @param ways      N ≥ 1, at most the number of classes (times 4 with rotations)
     * @param shots     K ≥ 1 support examples per class
     * @param queries   Q ≥ 1 query examples per class
     * @param rotations whether each rotation by a multiple of 90° is a class of its own
     * @throws IllegalArgumentException when a class is missing from the data, has fewer than K + Q
     *                                  examples, repeats, or N is too large
     */
    public FewShotTasks(LabeledDataset data, List<Integer> classes, int ways, int shots, int queries,
            boolean rotations) {
        if (ways < 1 || shots < 1 || queries < 1) {
            throw new IllegalArgumentException("FewShotTasks: ways, shots and queries must be ≥ 1, got N=" + ways
                    + ", K=" + shots + ", Q=" + queries);
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("FewShotTasks: empty class set");
        }
        int available = classes.size() * (rotations ? 4 : 1);
        if (ways > available) {
            throw new IllegalArgumentException("FewShotTasks: " + ways + "-way tasks need " + ways + " classes, only "
                    + available + " available (" + classes + (rotations ? " × 4 rotations)" : ")"));
        }
        if (rotations && !squareImages(data.inputs())) {
            throw new IllegalArgumentException("FewShotTasks: rotations need square images [n, H, W] or"
                    + " [n, C, H, W], got " + data.inputs().shape());
        }
        Map<Integer, int[]> byClass = data.indicesByClass();
        this.classes = classes.stream().mapToInt(Integer::intValue).toArray();
        this.indices = new int[this.classes.length][];
        for (int j = 0; j < this.classes.length; j++) {
            int c = this.classes[j];
            for (int i = 0; i < j; i++) {
                if (this.classes[i] == c) {
                    throw new IllegalArgumentException("FewShotTasks: class " + c + " listed twice");
                }
            }
            int[] idx = byClass.get(c);
            if (idx == null) {
                throw new IllegalArgumentException("FewShotTasks: class " + c + " has no examples in the data set");
            }
            if (idx.length < shots + queries) {
                throw new IllegalArgumentException("FewShotTasks: class " + c + " has " + idx.length
                        + " examples, fewer than K + Q = " + shots + " + " + queries);
            }
            indices[j] = idx;
        }
        this.data = data;
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        this.rotations = rotations;
    }

    /** N. */
    public int ways() {
        return ways;
    }

    /** K. */
    public int shots() {
        return shots;
    }

    /** Q. */
    public int queries() {
        return queries;
    }

    /** Draws N classes, their rotations, and K + Q examples of each; see the class comment. */
    @Override
    public Task sample(Rng rng) {
        int perClass = rotations ? 4 : 1;
        int[] order = rng.permutation(classes.length * perClass);
        int[] support = new int[ways * shots];
        int[] query = new int[ways * queries];
        int[] rotationOf = new int[ways];
        int[] classOf = new int[ways];
        for (int w = 0; w < ways; w++) {
            classOf[w] = order[w] / perClass;
            rotationOf[w] = order[w] % perClass;
        }
        double[] ys = new double[support.length];
        double[] yq = new double[query.length];
        for (int w = 0; w < ways; w++) {
            int[] idx = indices[classOf[w]];
            int[] perm = rng.permutation(idx.length);
            for (int i = 0; i < shots; i++) {
                support[w * shots + i] = idx[perm[i]];
                ys[w * shots + i] = w;
            }
            for (int i = 0; i < queries; i++) {
                query[w * queries + i] = idx[perm[shots + i]];
                yq[w * queries + i] = w;
            }
        }
        Tensor xs = gather(support, rotationOf, shots);
        Tensor xq = gather(query, rotationOf, queries);
        return new Task(xs, Tensor.vector(ys), xq, Tensor.vector(yq), ways);
    }

    private Tensor gather(int[] rows, int[] rotationOf, int perWay) {
        Tensor x = data.inputs().indexSelect(0, rows);
        if (!rotations) {
            return x;
        }
        List<Tensor> parts = new ArrayList<>(ways);
        for (int w = 0; w < ways; w++) {
            parts.add(rotate(x.slice(0, w * perWay, (w + 1) * perWay), rotationOf[w]));
        }
        return Tensor.concat(0, parts.toArray(new Tensor[0]));
    }

    /** Whether {@code inputs} are square images {@code [n, H, W]} or {@code [n, C, H, W]}, as {@link #rotate} needs. */
    static boolean squareImages(Tensor inputs) {
        int r = inputs.rank();
        return (r == 3 || r == 4) && inputs.dim(r - 1) == inputs.dim(r - 2);
    }

    /**
     * Rotates every trailing H×W image counterclockwise by {@code quarterTurns}·90°:
     * out[i][j] = in[j][W−1−i] for one quarter turn.
     */
    static Tensor rotate(Tensor images, int quarterTurns) {
        int r = images.rank();
        int h = images.dim(r - 1);
        double[] a = images.toArray();
        for (int q = 0; q < quarterTurns % 4; q++) {
            double[] b = new double[a.length];
            for (int off = 0; off < a.length; off += h * h) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < h; j++) {
                        b[off + i * h + j] = a[off + j * h + (h - 1 - i)];
                    }
                }
            }
            a = b;
        }
        return Tensor.of(a, images.shape());
    }
}
