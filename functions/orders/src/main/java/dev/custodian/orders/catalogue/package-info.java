/**
 * The catalogue routes: the public, cacheable product list and product, and the operators' audited
 * changes. They read and write through {@link dev.custodian.core.catalogue.CatalogueTable}.
 */
package dev.custodian.orders.catalogue;
