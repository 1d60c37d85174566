package dev.bilevel.storage.jdbc;

/**
 * The outcome of {@link JdbcStorage#upgrade}: the schema revision a database was at and the one
 * it is at now.
 *
 * @param fromRevision the alembic revision found, empty for a database without Optuna tables
 * @param toRevision the revision stamped now
 */
public record SchemaUpgrade(String fromRevision, String toRevision) {

  /**
   * Whether the database changed (was older, or was created).
   *
   * @return {@code true} if the revision changed
   */
  public boolean upgraded() {
    return !fromRevision.equals(toRevision);
  }
}
