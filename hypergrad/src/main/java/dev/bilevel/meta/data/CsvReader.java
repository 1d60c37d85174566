package dev.bilevel.meta.data;

import dev.bilevel.meta.LabeledDataset;
import dev.bilevel.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reader of numeric comma-separated tables with a header line, plain or gzip-compressed (e.g.
 * the scikit-learn tables of {@code shared/data}: {@code orig_row,<features>,target}). No
 * quoting: every field must parse as a number.
 *
 * <pre>{@code
 * LabeledDataset digits = CsvReader.readLabeled(Path.of("sklearn-digits.csv.gz"), "target", Set.of("orig_row"));
 * }</pre>
 */
public final class CsvReader {
    private CsvReader() {
    }

    /**
     * A table: column names and values {@code [rows, columns]}.
     *
     * @param columns the header's names
     * @param values  the numbers, one row per line
     */
    public record Table(List<String> columns, Tensor values) {
        /** Copies the names. */
        public Table {
            columns = List.copyOf(columns);
        }

        /** The index of {@code name}, or an error that lists the columns. */
        public int column(String name) {
            int i = columns.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("CsvReader: no column '" + name + "' in " + columns);
            }
            return i;
        }
    }

    /**
     * Reads the whole table.
     *
     * @throws IOException on a read error or a malformed line (named by its number)
     */
    public static Table read(Path file) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(IdxReader.open(file), StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException("CsvReader: " + file + " is empty");
            }
            List<String> cols = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
            List<double[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != cols.size()) {
                    throw new IOException("CsvReader: " + file + " line " + lineNo + " has " + f.length
                            + " fields, the header " + cols.size());
                }
                double[] v = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    try {
                        v[i] = Double.parseDouble(f[i].trim());
                    } catch (NumberFormatException e) {
                        throw new IOException("CsvReader: " + file + " line " + lineNo + " column '" + cols.get(i)
                                + "': not a number: '" + f[i] + "'", e);
                    }
                }
                rows.add(v);
            }
            double[] all = new double[rows.size() * cols.size()];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, all, i * cols.size(), cols.size());
            }
            return new Table(cols, Tensor.of(all, rows.size(), cols.size()));
        }
    }

    /**
     * A classification data set: the integer column {@code target} as labels and every other
     * column not in {@code ignore} as the features {@code [n, features]}.
     *
     * @throws IOException on a read error
     * @throws IllegalArgumentException when the target column is missing or not a non-negative integer
     */
    public static LabeledDataset readLabeled(Path file, String target, Set<String> ignore) throws IOException {
        Table t = read(file);
        int tc = t.column(target);
        int n = t.values().dim(0);
        int[] keep = new int[t.columns().size()];
        int k = 0;
        for (int j = 0; j < t.columns().size(); j++) {
            if (j != tc && !ignore.contains(t.columns().get(j))) {
                keep[k++] = j;
            }
        }
        Tensor x = t.values().indexSelect(1, Arrays.copyOf(keep, k));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double v = t.values().get(i, tc);
            if (v != Math.rint(v) || v < 0) {
                throw new IllegalArgumentException("CsvReader: target '" + target + "' row " + i + " is " + v
                        + ", not a class index");
            }
            labels[i] = (int) v;
        }
        return new LabeledDataset(x, labels);
    }
}
