package dev.bilevel.meta.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.meta.FewShotTasks;
import dev.bilevel.meta.LabeledDataset;
import dev.bilevel.meta.Task;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX, CSV and Omniglot-layout readers on generated fixtures and a committed MNIST slice. */
class DataReadersTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(DataReadersTest.class.getResource(name).toURI());
    }

    /**
     * The committed slice (see its README): 20 images each of digits 0, 1, 2; labels and the pixel
     * sum of the first image (37,545) as read independently by Python when the slice was made.
     */
    @Test
    void readsTheCommittedMnistSlice() throws Exception {
        LabeledDataset d = IdxReader.readLabeled(resource("mnist-slice-images-idx3-ubyte.gz"),
                resource("mnist-slice-labels-idx1-ubyte.gz"));
        assertThat(d.inputs().shape().dims()).containsExactly(60, 1, 28, 28);
        assertThat(d.labels()).startsWith(2, 1, 1, 1, 2, 1, 1, 1, 2, 2);
        Map<Integer, int[]> byClass = d.indicesByClass();
        assertThat(byClass.keySet()).containsExactly(0, 1, 2);
        byClass.values().forEach(idx -> assertThat(idx).hasSize(20));
        assertThat(d.inputs().slice(0, 0, 1).sum().item() * 255).isCloseTo(37545, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.inputs().max().item()).isLessThanOrEqualTo(1.0);
        Task t = new FewShotTasks(d, List.of(0, 1, 2), 3, 5, 5, false).sample(new Rng(0));
        assertThat(t.supportX().shape().dims()).containsExactly(15, 1, 28, 28);
    }

    private static void writeIdx(Path file, int type, int[] dims, byte[] payload, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((type << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        try (OutputStream f = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            f.write(bytes.toByteArray());
        }
    }

    @Test
    void readsPlainAndGzippedIdxOfSeveralTypes(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("u8.gz"), 0x08, new int[] {2, 3}, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7}, true);
        assertThat(IdxReader.read(dir.resolve("u8.gz")).toArray()).containsExactly(0, 1, 2, 200, 255, 7);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new DataOutputStream(b).writeInt(-5);
        new DataOutputStream(b).writeInt(70000);
        writeIdx(dir.resolve("i32"), 0x0C, new int[] {2}, b.toByteArray(), false);
        Tensor t = IdxReader.read(dir.resolve("i32"));
        assertThat(t.shape().dims()).containsExactly(2);
        assertThat(t.toArray()).containsExactly(-5, 70000);
        writeIdx(dir.resolve("short"), 0x08, new int[] {10}, new byte[] {1, 2}, false);
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("short"))).hasMessageContaining("ends before");
        Files.writeString(dir.resolve("bad"), "hello world, not idx");
        assertThatThrownBy(() -> IdxReader.read(dir.resolve("bad"))).hasMessageContaining("not an IDX file");
    }

    @Test
    void readsCsvTablesWithATargetColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("orig_row,a,b,target\n0,1.5,2,1\n1,-3,4e1,0\n".getBytes(StandardCharsets.UTF_8));
        }
        LabeledDataset d = CsvReader.readLabeled(f, "target", Set.of("orig_row"));
        assertThat(d.inputs().toArray()).containsExactly(1.5, 2, -3, 40);
        assertThat(d.labels()).containsExactly(1, 0);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,x\n");
        assertThatThrownBy(() -> CsvReader.read(bad)).hasMessageContaining("line 2").hasMessageContaining("'b'");
        assertThatThrownBy(() -> CsvReader.readLabeled(f, "label", Set.of())).hasMessageContaining("no column 'label'");
    }

    /** A generated Omniglot-layout fixture: 2 alphabets, 3 characters, 2 PNGs each, 4×4 gray. */
    @Test
    void readsImageFoldersInTheOmniglotLayout(@TempDir Path dir) throws IOException {
        String[][] chars = {{"Greek", "alpha"}, {"Greek", "beta"}, {"Latin", "a"}};
        for (int c = 0; c < chars.length; c++) {
            Path d = Files.createDirectories(dir.resolve(chars[c][0]).resolve(chars[c][1]));
            for (int k = 0; k < 2; k++) {
                BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
                int level = 40 * c + 10 * k;
                img.setRGB(1, 2, (level << 16) | (level << 8) | level);
                ImageIO.write(img, "png", d.resolve("img" + k + ".png").toFile());
            }
        }
        ImageFolderReader.Result r = ImageFolderReader.read(dir, 0);
        assertThat(r.classNames()).containsExactly("Greek/alpha", "Greek/beta", "Latin/a");
        assertThat(r.data().labels()).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(r.data().inputs().shape().dims()).containsExactly(6, 1, 4, 4);
        assertThat(r.data().inputs().get(5, 0, 2, 1)).isEqualTo(90 / 255.0);
        assertThat(r.data().inputs().sum().item()).isEqualTo((0 + 10 + 40 + 50 + 80 + 90) / 255.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ImageFolderReader.read(dir, 8).data().inputs().shape().dims()).containsExactly(6, 1, 8, 8);
        assertThatThrownBy(() -> ImageFolderReader.read(dir.resolve("none"), 0)).hasMessageContaining("not a directory");
    }
}
