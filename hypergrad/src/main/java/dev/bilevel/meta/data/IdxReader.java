package dev.bilevel.meta.data;

import dev.bilevel.meta.LabeledDataset;
import dev.bilevel.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/),
 * plain or gzip-compressed (detected from the first two bytes, 0x1f 0x8b).
 *
 * <p>Layout: a big-endian magic {@code 0x0000TTDD} (TT the element type: 0x08 unsigned byte, 0x09
 * signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64; DD the number of dimensions),
 * one big-endian int32 per dimension, then the elements in row-major order, big-endian.
 *
 * <pre>{@code
 * LabeledDataset mnist = IdxReader.readLabeled(Path.of("mnist-images-idx3-ubyte.gz"),
 *         Path.of("mnist-labels-idx1-ubyte.gz"));      // inputs [n, 1, 28, 28] in [0, 1]
 * }</pre>
 */
public final class IdxReader {
    private IdxReader() {
    }

    /**
     * The array stored in an IDX file, with the file's dimensions and raw element values.
     *
     * @param file IDX file, optionally gzip-compressed
     * @return the values as a tensor
     * @throws IOException on a read error, an unknown magic or a truncated payload
     */
    public static Tensor read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            int type = (magic >>> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || rank == 0) {
                throw new IOException("IdxReader: " + file + " has magic 0x" + Integer.toHexString(magic)
                        + ", not an IDX file (expected 0x0000TTDD)");
            }
            int[] dims = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new IOException("IdxReader: " + file + " has negative dimension " + dims[i]);
                }
                n *= dims[i];
            }
            if (n > Integer.MAX_VALUE) {
                throw new IOException("IdxReader: " + file + " is too large (" + n + " elements)");
            }
            double[] data = new double[(int) n];
            try {
                readElements(in, type, data, file);
            } catch (java.io.EOFException e) {
                throw new IOException("IdxReader: " + file + " ends before its " + n + " elements", e);
            }
            return Tensor.of(data, dims);
        }
    }

    private static void readElements(DataInputStream in, int type, double[] data, Path file) throws IOException {
        switch (type) {
            case 0x08 -> {
                byte[] b = new byte[data.length];
                in.readFully(b);
                for (int i = 0; i < b.length; i++) {
                    data[i] = b[i] & 0xFF;
                }
            }
            case 0x09 -> {
                byte[] b = new byte[data.length];
                in.readFully(b);
                for (int i = 0; i < b.length; i++) {
                    data[i] = b[i];
                }
            }
            case 0x0B -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = in.readShort();
                }
            }
            case 0x0C -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = in.readInt();
                }
            }
            case 0x0D -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = in.readFloat();
                }
            }
            case 0x0E -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = in.readDouble();
                }
            }
            default -> throw new IOException("IdxReader: " + file + " has unknown element type 0x"
                    + Integer.toHexString(type));
        }
    }

    /**
     * Images and labels as a data set: images {@code [n, rows, cols]} become inputs
     * {@code [n, 1, rows, cols]} scaled by 1/255 into [0, 1]; labels {@code [n]}.
     *
     * @throws IOException on a read error
     * @throws IllegalArgumentException when the files disagree on n or are not images and labels
     */
    public static LabeledDataset readLabeled(Path images, Path labels) throws IOException {
        Tensor x = read(images);
        Tensor y = read(labels);
        if (x.rank() != 3 || y.rank() != 1 || x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("IdxReader: expected images [n, rows, cols] and labels [n], got "
                    + x.shape() + " (" + images + ") and " + y.shape() + " (" + labels + ")");
        }
        int[] l = new int[y.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = (int) y.getFlat(i);
        }
        return new LabeledDataset(x.reshape(x.dim(0), 1, x.dim(1), x.dim(2)).div(255.0), l);
    }

    /** The file's stream, gunzipped when it starts with the gzip magic. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
