/** CMA-ES state, margin and restart strategies for {@code CmaEsSampler}. Not API. */
package dev.bilevel.hpo.internal.cmaes;
