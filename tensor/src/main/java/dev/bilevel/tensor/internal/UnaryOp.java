package dev.bilevel.tensor.internal;

/** Elementwise functions of one argument. Each constant evaluates one element; loops live in {@link Elementwise}. */
public enum UnaryOp {
    NEG, ABS, EXP, EXPM1, LOG, LOG1P, SQRT, SQUARE, RECIPROCAL, SIN, COS, TANH, SIGMOID, RELU, SIGN,
    /** Heaviside step: 1 where x &gt; 0, else 0 (the derivative of ReLU). */
    STEP,
    /** log(1 + e^x), computed without overflow. */
    SOFTPLUS,
    /** The error function, to about 1e-15 relative. */
    ERF;

    /** Applies this function to one value. */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case RELU -> x > 0 ? x : 0.0;
            case SIGN -> Math.signum(x);
            case STEP -> x > 0 ? 1.0 : 0.0;
            case SOFTPLUS -> x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            case ERF -> Erf.erf(x);
        };
    }
}
