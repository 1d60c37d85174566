/**
 * Hyperparameter importance from finished trials: {@link
 * dev.bilevel.hpo.importance.FanovaImportanceEvaluator} (fANOVA on a random forest) and {@link
 * dev.bilevel.hpo.importance.MeanDecreaseImpurityImportanceEvaluator}, behind {@link
 * dev.bilevel.hpo.importance.ImportanceEvaluator}.
 */
package dev.bilevel.hpo.importance;
