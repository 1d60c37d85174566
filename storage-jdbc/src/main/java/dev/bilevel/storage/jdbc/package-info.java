/**
 * Study storage on Optuna's RDB table schema: {@link dev.bilevel.storage.jdbc.JdbcStorage} on an
 * SQLite file (one machine, several processes) or PostgreSQL (many machines), with heartbeats that
 * fail trials of dead workers and {@link dev.bilevel.storage.jdbc.RetryFailedTrialCallback} to run
 * them again. Python Optuna and optuna-dashboard open the same databases.
 */
package dev.bilevel.storage.jdbc;
