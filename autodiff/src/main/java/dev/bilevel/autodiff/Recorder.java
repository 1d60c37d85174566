package dev.bilevel.autodiff;

import dev.bilevel.autodiff.internal.BinaryPrimitive;
import dev.bilevel.autodiff.internal.NaryPrimitive;
import dev.bilevel.autodiff.internal.Primitive;
import dev.bilevel.autodiff.internal.UnaryPrimitive;
import dev.bilevel.tensor.Tensor;

/**
 * Applies a primitive and decides whether to record it: a node is created exactly when grad mode
 * is enabled on this thread and some input requires grad; otherwise the result is a constant.
 * Under {@link AnomalyMode} the result is checked for non-finite values. One thread-local lookup
 * per operation, no maps, no reflection.
 */
final class Recorder {
    private Recorder() {}

    static Variable unary(UnaryPrimitive p, Variable x) {
        Tensor v = p.forward(x.value);
        ModeState s = ModeState.current();
        if (s.anomaly) {
            checkForward(s, p, v, x.value);
        }
        if (x.requiresGrad && s.gradEnabled) {
            return new Variable(v, p, new Variable[] {x}, x.height + 1);
        }
        return new Variable(v, false);
    }

    static Variable binary(BinaryPrimitive p, Variable a, Variable b) {
        Tensor v = p.forward(a.value, b.value);
        ModeState s = ModeState.current();
        if (s.anomaly) {
            checkForward(s, p, v, a.value, b.value);
        }
        if ((a.requiresGrad || b.requiresGrad) && s.gradEnabled) {
            return new Variable(v, p, new Variable[] {a, b}, Math.max(a.height, b.height) + 1);
        }
        return new Variable(v, false);
    }

    static Variable nary(NaryPrimitive p, Variable[] xs) {
        Tensor[] values = new Tensor[xs.length];
        boolean any = false;
        int height = 0;
        for (int i = 0; i < xs.length; i++) {
            values[i] = xs[i].value;
            any |= xs[i].requiresGrad;
            height = Math.max(height, xs[i].height);
        }
        Tensor v = p.forward(values);
        ModeState s = ModeState.current();
        if (s.anomaly) {
            checkForward(s, p, v, values);
        }
        if (any && s.gradEnabled) {
            return new Variable(v, p, xs.clone(), height + 1);
        }
        return new Variable(v, false);
    }

    static void checkForward(ModeState s, Primitive p, Tensor out, Tensor... ins) {
        if (!out.isFinite()) {
            StringBuilder detail = new StringBuilder("output shape ").append(out.shape()).append(", inputs");
            for (Tensor t : ins) {
                detail.append(' ').append(t.shape()).append(t.isFinite() ? " finite" : " non-finite");
            }
            if (s.vjpOf != null) {
                throw new NonFiniteValueException(s.vjpOf, true, "in its operation '" + p.opName() + "', " + detail);
            }
            throw new NonFiniteValueException(p.opName(), false, detail.toString());
        }
    }

}
