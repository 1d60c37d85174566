/**
 * Implementation of the JDBC storage: dialects, schema, DAOs and the transaction runner. Not API:
 * no other module uses this package.
 */
package dev.bilevel.storage.jdbc.internal;
