package dev.bilevel.hpo.storage;

/** Runs the {@link StorageContract} on {@link InMemoryStorage}. */
class InMemoryStorageTest extends StorageContract {
  @Override
  protected Storage createStorage() {
    return new InMemoryStorage();
  }
}
