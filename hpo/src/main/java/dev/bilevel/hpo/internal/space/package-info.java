/** The unit-cube encoding of search spaces used by model-based samplers. Not API. */
package dev.bilevel.hpo.internal.space;
