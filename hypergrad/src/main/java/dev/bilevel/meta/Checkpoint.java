package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A meta-training checkpoint: the {@link MetaTrainer.State} (iteration, meta-parameters, outer
 * optimizer state, early-stopping counters) and the run's provenance, written to one binary file.
 * Doubles are stored bit for bit, so a run resumed from a checkpoint continues exactly as the
 * uninterrupted run would have (task streams depend only on the seed and the iteration).
 *
 * <p>Optimizer states are immutable records (e.g. {@code Adam.State(count, mu, nu)},
 * {@code Chain.State(states)}); they are stored generically as their record class and components
 * (long, int, double, boolean, {@link Params}, {@link Tensor}, lists and nested records, or null),
 * so every pure optimizer of {@code dev.bilevel.autodiff.optim} round-trips. Files are written to
 * a temporary sibling and moved into place, so a crash never leaves a torn checkpoint.
 *
 * <pre>{@code
 * Checkpoint.write(path, new Checkpoint(state, provenance));
 * MetaTrainer.State resumed = Checkpoint.read(path).state();
 * }</pre>
 *
 * @param state      the trainer state
 * @param provenance the run's provenance, as written by {@link Provenance#toString()}
 */
public record Checkpoint(MetaTrainer.State state, String provenance) {
    private static final int MAGIC = 0x424C4D43; // "BLMC"
    private static final int VERSION = 1;

    /**
     * Writes {@code checkpoint} to {@code file} atomically.
     *
     * @throws IOException on a write error or a state component of an unsupported type
     */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(checkpoint.provenance);
            MetaTrainer.State s = checkpoint.state;
            out.writeLong(s.iteration());
            writeValue(out, s.meta());
            writeValue(out, s.optimizer());
            out.writeDouble(s.bestValidation());
            out.writeInt(s.sinceBest());
            writeValue(out, s.best());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @throws IOException on a read error, a foreign file or an unknown record class
     */
    public static Checkpoint read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("Checkpoint: " + file + " is not a Bilevel meta-training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("Checkpoint: " + file + " has format version " + version + ", expected " + VERSION);
            }
            String provenance = in.readUTF();
            long iteration = in.readLong();
            Params meta = (Params) readValue(in);
            Optimizer.State opt = (Optimizer.State) readValue(in);
            double best = in.readDouble();
            int since = in.readInt();
            Params bestMeta = (Params) readValue(in);
            return new Checkpoint(new MetaTrainer.State(iteration, meta, opt, best, since, bestMeta), provenance);
        }
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte('N');
        } else if (v instanceof Long l) {
            out.writeByte('J');
            out.writeLong(l);
        } else if (v instanceof Integer i) {
            out.writeByte('I');
            out.writeInt(i);
        } else if (v instanceof Double d) {
            out.writeByte('D');
            out.writeDouble(d);
        } else if (v instanceof Boolean b) {
            out.writeByte('Z');
            out.writeBoolean(b);
        } else if (v instanceof Tensor t) {
            out.writeByte('T');
            writeTensor(out, t);
        } else if (v instanceof Variable var) {
            out.writeByte('V');
            writeTensor(out, var.value());
        } else if (v instanceof Params p) {
            out.writeByte('P');
            out.writeInt(p.size());
            for (String n : p.names()) {
                out.writeUTF(n);
                writeTensor(out, p.get(n).value());
            }
        } else if (v instanceof List<?> list) {
            out.writeByte('L');
            out.writeInt(list.size());
            for (Object o : list) {
                writeValue(out, o);
            }
        } else if (v instanceof Record r) {
            out.writeByte('R');
            out.writeUTF(r.getClass().getName());
            RecordComponent[] comps = r.getClass().getRecordComponents();
            out.writeInt(comps.length);
            for (RecordComponent c : comps) {
                try {
                    c.getAccessor().setAccessible(true);
                    writeValue(out, c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IOException("Checkpoint: cannot read component " + c.getName() + " of "
                            + r.getClass().getName(), e);
                }
            }
        } else {
            throw new IOException("Checkpoint: cannot store a value of type " + v.getClass().getName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case 'N':
                return null;
            case 'J':
                return in.readLong();
            case 'I':
                return in.readInt();
            case 'D':
                return in.readDouble();
            case 'Z':
                return in.readBoolean();
            case 'T':
                return readTensor(in);
            case 'V':
                return Variable.constant(readTensor(in));
            case 'P': {
                int n = in.readInt();
                List<String> names = new ArrayList<>(n);
                List<Variable> vals = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    names.add(in.readUTF());
                    vals.add(Variable.leaf(readTensor(in)));
                }
                return Params.of(names, vals);
            }
            case 'L': {
                int n = in.readInt();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in));
                }
                return list;
            }
            case 'R':
                return readRecord(in);
            default:
                throw new IOException("Checkpoint: corrupt file (unknown tag " + tag + ")");
        }
    }

    private static Object readRecord(DataInputStream in) throws IOException {
        String name = in.readUTF();
        int n = in.readInt();
        try {
            Class<?> type = Class.forName(name);
            RecordComponent[] comps = type.getRecordComponents();
            if (comps == null || comps.length != n) {
                throw new IOException("Checkpoint: " + name + " is not a record with " + n + " components");
            }
            Class<?>[] types = new Class<?>[n];
            Object[] args = new Object[n];
            for (int i = 0; i < n; i++) {
                types[i] = comps[i].getType();
                args[i] = readValue(in);
            }
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IOException("Checkpoint: cannot rebuild record " + name, e);
        }
    }

    private static void writeTensor(DataOutputStream out, Tensor t) throws IOException {
        int[] dims = t.shape().dims();
        out.writeInt(dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        double[] a = t.toArray();
        for (double x : a) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
    }

    private static Tensor readTensor(DataInputStream in) throws IOException {
        int rank = in.readInt();
        int[] dims = new int[rank];
        int n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            n *= dims[i];
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble(in.readLong());
        }
        return Tensor.of(a, dims);
    }
}
