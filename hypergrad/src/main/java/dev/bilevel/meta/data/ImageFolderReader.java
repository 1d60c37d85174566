package dev.bilevel.meta.data;

import dev.bilevel.meta.LabeledDataset;
import dev.bilevel.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reader of image folders in the Omniglot layout (Lake, Salakhutdinov &amp; Tenenbaum, "Human-level
 * concept learning through probabilistic program induction", Science 2015):
 * {@code root/<alphabet>/<character>/*.png}. Each character directory is one class; classes are
 * numbered in the sorted order of "alphabet/character", images within a class in sorted file
 * name order. Pixels become gray levels in [0, 1] (mean of R, G, B over 255), optionally resized
 * (bilinear) to {@code size × size}; inputs are {@code [n, 1, H, W]}.
 *
 * <pre>{@code
 * ImageFolderReader.Result omniglot = ImageFolderReader.read(Path.of("images_background"), 28);
 * }</pre>
 */
public final class ImageFolderReader {
    private ImageFolderReader() {
    }

    /**
     * The images and the name of each class ("alphabet/character").
     *
     * @param data       the images and labels
     * @param classNames class j's name at index j
     */
    public record Result(LabeledDataset data, List<String> classNames) {
        /** Copies the names. */
        public Result {
            classNames = List.copyOf(classNames);
        }
    }

    /**
     * Reads every PNG under {@code root}.
     *
     * @param root the folder holding the alphabets
     * @param size side of the output images, or 0 to keep the files' size (all must then agree)
     * @throws IOException on a read error, an unreadable image, no images, or differing sizes
     */
    public static Result read(Path root, int size) throws IOException {
        List<Path> alphabets = sortedDirs(root);
        List<String> names = new ArrayList<>();
        List<double[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int h = -1;
        int w = -1;
        for (Path alphabet : alphabets) {
            for (Path character : sortedDirs(alphabet)) {
                int label = names.size();
                names.add(alphabet.getFileName() + "/" + character.getFileName());
                List<Path> files;
                try (Stream<Path> s = Files.list(character)) {
                    files = s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".png")).sorted().toList();
                }
                for (Path f : files) {
                    BufferedImage img = ImageIO.read(f.toFile());
                    if (img == null) {
                        throw new IOException("ImageFolderReader: cannot decode " + f);
                    }
                    if (size > 0) {
                        img = resize(img, size);
                    }
                    if (h < 0) {
                        h = img.getHeight();
                        w = img.getWidth();
                    } else if (img.getHeight() != h || img.getWidth() != w) {
                        throw new IOException("ImageFolderReader: " + f + " is " + img.getWidth() + "×" + img.getHeight()
                                + ", earlier images " + w + "×" + h + " (pass a size to resize)");
                    }
                    pixels.add(gray(img));
                    labels.add(label);
                }
            }
        }
        if (pixels.isEmpty()) {
            throw new IOException("ImageFolderReader: no PNG images under " + root + "/<alphabet>/<character>/");
        }
        double[] all = new double[pixels.size() * h * w];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, all, i * h * w, h * w);
        }
        Tensor x = Tensor.of(all, pixels.size(), 1, h, w);
        return new Result(new LabeledDataset(x, labels.stream().mapToInt(Integer::intValue).toArray()), names);
    }

    private static List<Path> sortedDirs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("ImageFolderReader: " + dir + " is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static double[] gray(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        double[] out = new double[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int rgb = img.getRGB(c, r);
                out[r * w + c] = (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / (3 * 255.0);
            }
        }
        return out;
    }

    private static BufferedImage resize(BufferedImage img, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, size, size, null);
        g.dispose();
        return out;
    }
}
