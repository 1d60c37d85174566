/**
 * The {@link dev.bilevel.hpo.storage.Storage} SPI (its Javadoc is the contract, its test suite
 * {@code StorageContract} ships in the hpo test-jar), the thread-safe {@link
 * dev.bilevel.hpo.storage.InMemoryStorage}, and {@link dev.bilevel.hpo.storage.OptunaJson}, the
 * JSON text form in which Optuna-compatible storages keep attributes and distributions.
 */
package dev.bilevel.hpo.storage;
