package dev.bilevel.cli.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a few-shot spec's labeled examples come from: {@code tasks.dataset} of a meta-training
 * spec. Paths are resolved against the spec file's directory.
 *
 * <pre>{@code
 * dataset: {format: idx, images: train-images-idx3-ubyte.gz, labels: train-labels-idx1-ubyte.gz}
 * dataset: {format: csv, path: digits.csv.gz, label_column: target, ignore: [orig_row]}
 * dataset: {format: image-folder, root: omniglot/images_background, image_size: 28}
 * }</pre>
 *
 * @param format idx, csv or image-folder
 * @param images the IDX images file (idx), else {@code null}
 * @param labels the IDX labels file (idx), else {@code null}
 * @param path the CSV table (csv), else {@code null}
 * @param labelColumn the CSV column holding the class (csv), else {@code null}
 * @param ignore CSV columns that are neither label nor feature
 * @param root the folder of {@code <alphabet>/<character>/*.png} (image-folder), else {@code null}
 * @param imageSize side the images are resized to (image-folder), 0 to keep their size
 * @param line the line of {@code tasks.dataset} in the spec, for errors found while reading
 */
public record DatasetSpec(String format, Path images, Path labels, Path path, String labelColumn,
        List<String> ignore, Path root, int imageSize, int line) {

    /** The formats a spec may name. */
    public static final List<String> FORMATS = List.of("idx", "csv", "image-folder");

    /**
     * Copies the ignored columns.
     *
     * @param format see the record component of the same name
     * @param images see the record component of the same name
     * @param labels see the record component of the same name
     * @param path see the record component of the same name
     * @param labelColumn see the record component of the same name
     * @param ignore see the record component of the same name
     * @param root see the record component of the same name
     * @param imageSize see the record component of the same name
     * @param line see the record component of the same name
     */
    public DatasetSpec {
        ignore = List.copyOf(ignore);
    }
}
