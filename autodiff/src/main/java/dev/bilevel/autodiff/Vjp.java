package dev.bilevel.autodiff;

import java.util.function.UnaryOperator;

/**
 * The result of {@link Autodiff#vjp(java.util.function.Function, Variable)}: the output of f and
 * its pullback {@code u ↦ Jᵀu}, which may be applied any number of times (the graph is kept alive
 * by the pullback).
 *
 * @param output   f(x)
 * @param pullback maps a cotangent u shaped like the output to Jᵀu shaped like x
 */
public record Vjp(Variable output, UnaryOperator<Variable> pullback) {}
