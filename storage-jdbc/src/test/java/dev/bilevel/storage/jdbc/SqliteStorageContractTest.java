package dev.bilevel.storage.jdbc;

import dev.bilevel.hpo.storage.Storage;
import dev.bilevel.hpo.storage.StorageContract;
import org.junit.jupiter.api.AfterEach;

/** Runs the {@link StorageContract} on {@link JdbcStorage} over a fresh SQLite file per test. */
class SqliteStorageContractTest extends StorageContract {

  @Override
  protected Storage createStorage() {
    return JdbcStorage.open(TempDbs.sqliteUrl());
  }

  @AfterEach
  void closeStorage() {
    ((JdbcStorage) storage).close();
  }
}
