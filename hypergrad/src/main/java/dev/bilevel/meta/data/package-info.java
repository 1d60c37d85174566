/**
 * Readers that turn files into {@link dev.bilevel.meta.LabeledDataset}s: IDX (MNIST and
 * Fashion-MNIST, plain or gzip), numeric CSV tables, and image folders in the Omniglot layout.
 */
package dev.bilevel.meta.data;
