/**
 * Gaussian-process regression for {@code GpSampler}: the Matérn-5/2 kernel, the marginal
 * likelihood and its gradient, log-EI with feasibility, and the acquisition search. Not API.
 */
package dev.bilevel.hpo.internal.gp;
