/** Numerical building blocks: standard-normal functions and a bounded L-BFGS. Not API. */
package dev.bilevel.hpo.internal.math;
