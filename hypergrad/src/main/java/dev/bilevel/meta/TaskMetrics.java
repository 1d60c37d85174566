package dev.bilevel.meta;

/**
 * Query metrics of one task after a number of adaptation steps.
 *
 * @param steps    inner steps taken on the support set
 * @param loss     query loss (MSE or cross-entropy)
 * @param accuracy query accuracy for classification, NaN for regression
 */
public record TaskMetrics(int steps, double loss, double accuracy) {
}
