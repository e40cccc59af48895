/**
 * The shop's catalogue: its table layout ({@link dev.custodian.core.catalogue.CatalogueTable}) and
 * the warm container's cache of prices that orders are priced from ({@link
 * dev.custodian.core.catalogue.PriceList}). No personal data lives here.
 */
package dev.custodian.core.catalogue;
