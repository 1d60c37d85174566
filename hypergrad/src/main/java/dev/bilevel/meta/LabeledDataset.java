package dev.bilevel.meta;

import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A labeled data set: inputs {@code [n, ...]} (e.g. images {@code [n, 1, 28, 28]}) and one integer
 * class per example. The raw material of {@link FewShotTasks}; read by the
 * {@link dev.bilevel.meta.data} readers.
 *
 * <p>The label array is copied on construction and on access, so the record is immutable.
 *
 * @param inputs inputs, first axis the examples
 * @param labels class of each example, ≥ 0
 */
public record LabeledDataset(Tensor inputs, int[] labels) {

    /** Checks that there is one non-negative label per example and copies the labels. */
    public LabeledDataset {
        if (inputs == null || labels == null) {
            throw new IllegalArgumentException("LabeledDataset: null inputs or labels");
        }
        if (inputs.rank() < 1 || inputs.dim(0) != labels.length) {
            throw new IllegalArgumentException("LabeledDataset: " + labels.length + " labels for inputs "
                    + inputs.shape());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("LabeledDataset: negative label " + labels[i] + " at " + i);
            }
        }
        labels = labels.clone();
    }

    /** A copy of the labels. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** The example indices of each class, in file order, keyed by class in increasing order. */
    public Map<Integer, int[]> indicesByClass() {
        Map<Integer, List<Integer>> lists = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            lists.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        Map<Integer, int[]> out = new TreeMap<>();
        lists.forEach((c, l) -> out.put(c, l.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /**
     * The examples of {@code rows}, in that order.
     *
     * @param rows example indices
     * @return the subset
     */
    public LabeledDataset select(int[] rows) {
        int[] l = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            l[i] = labels[rows[i]];
        }
        return new LabeledDataset(inputs.indexSelect(0, rows), l);
    }

    /**
     * The first {@code perClass} examples of each class in {@code classes} (file order), with
     * class {@code classes[j]} relabeled {@code offset + j}: e.g. "the first 600 images of each
     * Fashion-MNIST class".
     *
     * @throws IllegalArgumentException when a class has fewer examples
     */
    public LabeledDataset firstOfClasses(int[] classes, int perClass, int offset) {
        Map<Integer, int[]> byClass = indicesByClass();
        int[] rows = new int[classes.length * perClass];
        int[] l = new int[rows.length];
        for (int j = 0; j < classes.length; j++) {
            int[] idx = byClass.getOrDefault(classes[j], new int[0]);
            if (idx.length < perClass) {
                throw new IllegalArgumentException("LabeledDataset: class " + classes[j] + " has " + idx.length
                        + " examples, fewer than " + perClass);
            }
            for (int i = 0; i < perClass; i++) {
                rows[j * perClass + i] = idx[i];
                l[j * perClass + i] = offset + j;
            }
        }
        return new LabeledDataset(inputs.indexSelect(0, rows), l);
    }

    /**
     * Every image rotated counterclockwise by {@code quarterTurns}·90°, class c relabeled
     * {@code labelOffset + c}: the rotated copies of a class are a class of their own (Santoro et al.
     * 2016). Rotated copies of the meta-training classes, which training never sees rotated, can
     * serve as meta-validation classes when a split leaves none.
     *
     * @param quarterTurns number of quarter turns, 0 to 3
     * @param labelOffset  added to every label, ≥ 0
     * @throws IllegalArgumentException when the inputs are not square images {@code [n, H, W]} or
     *                                  {@code [n, C, H, W]}, or an argument is out of range
     * @throws ArithmeticException      when a shifted label overflows an int
     */
    public LabeledDataset rotated(int quarterTurns, int labelOffset) {
        if (!FewShotTasks.squareImages(inputs)) {
            throw new IllegalArgumentException("LabeledDataset: rotation needs square images [n, H, W] or"
                    + " [n, C, H, W], got " + inputs.shape());
        }
        if (quarterTurns < 0 || quarterTurns > 3 || labelOffset < 0) {
            throw new IllegalArgumentException("LabeledDataset: need 0 <= quarterTurns <= 3 and labelOffset >= 0, got "
                    + quarterTurns + " and " + labelOffset);
        }
        int[] l = new int[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.addExact(labels[i], labelOffset);
        }
        return new LabeledDataset(FewShotTasks.rotate(inputs, quarterTurns), l);
    }

    /** The union of two data sets with the same input shape beyond the first axis. */
    public static LabeledDataset concat(LabeledDataset a, LabeledDataset b) {
        int[] l = new int[a.size() + b.size()];
        System.arraycopy(a.labels, 0, l, 0, a.size());
        System.arraycopy(b.labels, 0, l, a.size(), b.size());
        return new LabeledDataset(Tensor.concat(0, a.inputs, b.inputs), l);
    }
}
