package dev.custodian.core.catalogue;

import java.util.Objects;

/**
 * A product of the catalogue: the price is in minor units (pence, cents) of its currency; an
 * inactive product is not sold and cannot be ordered.
 */
public record Product(
    String sku, String name, long unitPrice, String currency, boolean active, String updatedAt) {

  public Product {
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(currency, "currency");
    if (unitPrice < 0) {
      throw new IllegalArgumentException("a price is never negative");
    }
  }
}
