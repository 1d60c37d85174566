package dev.bilevel.cli.spec;

import dev.bilevel.meta.ClassSplit;
import dev.bilevel.meta.FewShotTasks;
import dev.bilevel.meta.LabeledDataset;
import dev.bilevel.meta.data.CsvReader;
import dev.bilevel.meta.data.IdxReader;
import dev.bilevel.meta.data.ImageFolderReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * Reads the data set of a {@link FewShotSpec} and builds its meta-training, meta-validation and
 * meta-test task samplers; a problem the data reveals (an unreadable file, a class without
 * examples, fewer than K + Q examples in a class) is a {@link SpecException} naming the spec file
 * and the line of {@code tasks.dataset} or {@code tasks}.
 */
public final class FewShotLoader {
    private FewShotLoader() {
    }

    /**
     * The data set and the task samplers of each class split.
     *
     * @param data the examples
     * @param split the classes of each part
     * @param train meta-training tasks
     * @param validation meta-validation tasks, or {@code null} when there are no validation classes
     * @param test meta-test tasks
     */
    public record Loaded(LabeledDataset data, ClassSplit split, FewShotTasks train, FewShotTasks validation,
            FewShotTasks test) {
    }

    /**
     * Reads the data set and builds the task samplers.
     *
     * @param specFile the spec file, named in errors
     * @param spec the few-shot tasks
     * @return the data and samplers
     * @throws SpecException when the data cannot be read or does not fit the tasks
     */
    public static Loaded load(Path specFile, FewShotSpec spec) {
        LabeledDataset data = read(specFile, spec.dataset());
        try {
            ClassSplit split = new ClassSplit(spec.trainClasses(), spec.validationClasses(), spec.testClasses());
            FewShotTasks train = tasks(data, split.train(), spec);
            FewShotTasks validation = split.validation().isEmpty() ? null : tasks(data, split.validation(), spec);
            return new Loaded(data, split, train, validation, tasks(data, split.test(), spec));
        } catch (IllegalArgumentException e) {
            throw new SpecException(specFile, spec.line(), e.getMessage() + " (classes in "
                    + spec.dataset().format() + " data: " + new java.util.TreeSet<>(data.indicesByClass().keySet())
                    + ")");
        }
    }

    private static FewShotTasks tasks(LabeledDataset data, List<Integer> classes, FewShotSpec spec) {
        return new FewShotTasks(data, classes, spec.ways(), spec.shots(), spec.queries(), spec.rotations());
    }

    private static LabeledDataset read(Path specFile, DatasetSpec d) {
        try {
            return switch (d.format()) {
                case "idx" -> IdxReader.readLabeled(d.images(), d.labels());
                case "csv" -> CsvReader.readLabeled(d.path(), d.labelColumn(), new HashSet<>(d.ignore()));
                default -> ImageFolderReader.read(d.root(), d.imageSize()).data();
            };
        } catch (IOException | RuntimeException e) {
            String m = e instanceof java.nio.file.NoSuchFileException ? "no such file " + e.getMessage()
                    : e.getMessage();
            throw new SpecException(specFile, d.line(), "cannot read the " + d.format() + " dataset: " + m);
        }
    }
}
