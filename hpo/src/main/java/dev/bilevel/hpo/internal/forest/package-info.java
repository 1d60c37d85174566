/** Regression trees, random forests and the fANOVA decomposition for importance. Not API. */
package dev.bilevel.hpo.internal.forest;
