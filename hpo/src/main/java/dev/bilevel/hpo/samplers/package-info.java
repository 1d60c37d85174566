/**
 * The {@link dev.bilevel.hpo.samplers.Sampler} SPI and its implementations, one class each. Every
 * implementation's test class extends the shared {@code SamplerContract} suite (hpo test-jar).
 * Randomness is keyed by (seed, trial number, stream) through {@link
 * dev.bilevel.hpo.samplers.TrialRandom}.
 */
package dev.bilevel.hpo.samplers;
