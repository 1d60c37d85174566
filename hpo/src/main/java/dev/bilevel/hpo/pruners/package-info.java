/**
 * The {@link dev.bilevel.hpo.pruners.Pruner} SPI and its implementations (median, percentile,
 * successive halving, Hyperband, threshold, patience), each tested by the shared {@code
 * PrunerContract} suite (hpo test-jar).
 */
package dev.bilevel.hpo.pruners;
