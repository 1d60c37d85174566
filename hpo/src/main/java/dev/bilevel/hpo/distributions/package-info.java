/**
 * Search-space distributions: validated immutable records with an internal {@code double}
 * representation, and their JSON codec compatible with Optuna's {@code distribution_json}.
 */
package dev.bilevel.hpo.distributions;
