/**
 * The read-only web dashboard: {@link dev.bilevel.dashboard.DashboardServer} serves a study
 * list, study pages with ECharts plots, a trial table and trial details over any
 * {@link dev.bilevel.hpo.storage.Storage}, including databases written by Python Optuna.
 */
package dev.bilevel.dashboard;
