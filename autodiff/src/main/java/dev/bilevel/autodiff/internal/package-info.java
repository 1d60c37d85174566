/**
 * Implementation of {@code dev.bilevel.autodiff}: the closed set of
 * {@link dev.bilevel.autodiff.internal.Primitive primitives}, each with its forward computation
 * and its VJP side by side, and the identity table used by the backward sweep. Not for use outside
 * the autodiff module.
 */
package dev.bilevel.autodiff.internal;
