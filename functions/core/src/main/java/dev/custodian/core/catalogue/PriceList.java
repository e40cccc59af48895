package dev.custodian.core.catalogue;

import dev.custodian.core.cache.ExpiringCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The prices a warm container orders from: products are read from the catalogue at most once per
 * {@link #TTL} (and SKUs found missing are remembered as missing as long), so a price change, a new
 * product or a deactivation reaches new orders within that time, and an order of cached products
 * costs no catalogue call.
 */
public final class PriceList {

  /** How long a product's price is trusted in a warm container: the stated bound on staleness. */
  public static final Duration TTL = Duration.ofSeconds(60);

  private final CatalogueTable catalogue;
  private final ExpiringCache<Optional<Product>> cache;

  public PriceList(CatalogueTable catalogue, Clock clock) {
    this.catalogue = catalogue;
    this.cache = new ExpiringCache<>(10_000, TTL, clock);
  }

  /** The product of each SKU, empty for a SKU the catalogue does not have. */
  public Map<String, Optional<Product>> products(Set<String> skus) {
    Map<String, Optional<Product>> out = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String sku : skus) {
      Optional<Optional<Product>> cached = cache.get(sku);
      if (cached.isPresent()) {
        out.put(sku, cached.get());
      } else {
        missing.add(sku);
      }
    }
    if (!missing.isEmpty()) {
      Map<String, Product> found = catalogue.getAll(missing);
      for (String sku : missing) {
        Optional<Product> product = Optional.ofNullable(found.get(sku));
        cache.put(sku, product);
        out.put(sku, product);
      }
    }
    return out;
  }
}
