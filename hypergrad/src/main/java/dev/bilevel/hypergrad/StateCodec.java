package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The variables inside an optimizer state, listed and replaced in a fixed order, so that
 * checkpointed unrolling can restart a segment from a stored state and forward mode can carry a
 * tangent for it. Optimizer states of {@code dev.bilevel.autodiff.optim} are records whose
 * components are {@link Params}, {@link Variable}s, lists of states and plain values; the walk
 * follows the record components (the one contract it relies on), and a state that is not a
 * record but holds variables is rejected with a clear error instead of being treated as constant.
 */
final class StateCodec {
    private StateCodec() {}

    /** Every variable in the state, depth first in component order. */
    static List<Variable> variables(Object state) {
        List<Variable> out = new ArrayList<>();
        collect(state, out);
        return out;
    }

    /** The state with its variables replaced, in the order of {@link #variables}, by {@code values}. */
    static Object replace(Object state, List<Variable> values) {
        Iterator<Variable> it = values.iterator();
        Object r = rebuild(state, it);
        if (it.hasNext()) {
            throw new IllegalArgumentException("StateCodec: more values than variables in " + state);
        }
        return r;
    }

    private static void collect(Object o, List<Variable> out) {
        if (o instanceof Variable v) {
            out.add(v);
        } else if (o instanceof Params p) {
            out.addAll(p.values());
        } else if (o instanceof List<?> list) {
            for (Object e : list) {
                collect(e, out);
            }
        } else if (o instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                collect(read(c, r), out);
            }
        } else if (o != null && !isPlain(o)) {
            throw new IllegalArgumentException("optimizer state of type " + o.getClass().getName()
                    + " is not a record; checkpointed and forward-mode hypergradients need record states");
        }
    }

    private static Object rebuild(Object o, Iterator<Variable> it) {
        if (o instanceof Variable) {
            return it.next();
        } else if (o instanceof Params p) {
            List<Variable> v = new ArrayList<>(p.size());
            for (int i = 0; i < p.size(); i++) {
                v.add(it.next());
            }
            return Params.of(p.names(), v);
        } else if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(rebuild(e, it));
            }
            return List.copyOf(out);
        } else if (o instanceof Record r) {
            RecordComponent[] cs = r.getClass().getRecordComponents();
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                args[i] = rebuild(read(cs[i], r), it);
                types[i] = cs[i].getType();
            }
            try {
                Constructor<?> ctor = r.getClass().getDeclaredConstructor(types);
                return ctor.newInstance(args);
            } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                    | InvocationTargetException e) {
                throw new IllegalStateException("cannot rebuild optimizer state " + r.getClass().getName(), e);
            }
        }
        return o;
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read component " + c.getName() + " of " + r.getClass().getName(), e);
        }
    }

    private static boolean isPlain(Object o) {
        return o instanceof Number || o instanceof Boolean || o instanceof CharSequence || o instanceof Enum<?>;
    }
}
