package dev.bilevel.storage.jdbc;

import dev.bilevel.hpo.storage.Storage;
import dev.bilevel.hpo.storage.StorageContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the {@link StorageContract} on {@link JdbcStorage} over PostgreSQL, a fresh schema per test. */
@ExtendWith(PostgresServer.class)
class PostgresStorageContractTest extends StorageContract {

  @Override
  protected Storage createStorage() {
    return JdbcStorage.builder(PostgresServer.freshSchemaUrl()).poolSize(4).open();
  }

  @AfterEach
  void closeStorage() {
    ((JdbcStorage) storage).close();
  }
}
