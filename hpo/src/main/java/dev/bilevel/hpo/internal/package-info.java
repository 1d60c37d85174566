/** Implementation details of the hpo module; not API, and not to be used by other modules. */
package dev.bilevel.hpo.internal;
