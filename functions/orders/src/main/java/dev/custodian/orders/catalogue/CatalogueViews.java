package dev.custodian.orders.catalogue;

import dev.custodian.core.catalogue.Product;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** How products are shown, and the cache headers of the public catalogue. */
final class CatalogueViews {

  static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Shared caches and browsers may keep a catalogue answer this long (as the order cache). */
  static final String CACHE_CONTROL = "public, max-age=60";

  private CatalogueViews() {}

  static Map<String, Object> publicView(Product product) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sku", product.sku());
    out.put("name", product.name());
    out.put("unitPrice", product.unitPrice());
    out.put("currency", product.currency());
    return out;
  }

  static Map<String, Object> operatorView(Product product) {
    Map<String, Object> out = publicView(product);
    out.put("active", product.active());
    out.put("updatedAt", product.updatedAt());
    return out;
  }

  /**
   * A cacheable answer: a strong ETag of the body, and 304 without a body when the client already
   * holds it ({@code If-None-Match}).
   */
  static HttpResponse cacheable(Object body, Optional<String> ifNoneMatch) {
    String etag = "\"" + digest(Json.write(body)) + "\"";
    boolean held =
        ifNoneMatch
            .map(v -> Arrays.stream(v.split(",")).map(String::trim).anyMatch(t -> t.equals(etag)))
            .orElse(false);
    HttpResponse response = held ? new HttpResponse(304, Map.of(), null) : HttpResponse.ok(body);
    return response.withHeader("ETag", etag).withHeader("Cache-Control", CACHE_CONTROL);
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
